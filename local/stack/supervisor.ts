// Keeps the emulators `npm start` launched running: one that exits on its own is started again
// on the same ports (after a delay that grows, see restart-policy.ts) instead of taking the
// whole stack down; only one that keeps dying is given up on.
import { systemClock, type Clock } from '../../shared/clock.js';
import type { ChildService } from '../emulators/child-service.js';
import type { HostLogger } from '../host/logger.js';
import { nextRestartDelay, type RestartPolicy } from './restart-policy.js';

export interface SupervisedService {
  readonly name: string;
  /** Starts (or starts again) the service; it must come back on the same ports. */
  start(): Promise<ChildService>;
}

export interface Supervisor {
  /** Resolves with the name of a service given up on. */
  readonly gaveUp: Promise<string>;
  stop(): Promise<void>;
}

export async function supervise(
  services: readonly SupervisedService[],
  options: { log: HostLogger; policy: RestartPolicy; clock?: Clock },
): Promise<Supervisor> {
  const clock = options.clock ?? systemClock;
  const running = new Map<SupervisedService, ChildService>();
  const timers = new Set<NodeJS.Timeout>();
  let stopping = false;
  let giveUp: (name: string) => void = () => undefined;
  const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));

  const watch = (unit: SupervisedService, child: ChildService, restarts: number[]): void => {
    running.set(unit, child);
    void child.exited.then((code) => {
      if (!stopping) retry(unit, restarts, `exited (code ${code})`);
    });
  };
  const retry = (unit: SupervisedService, restarts: number[], why: string): void => {
    const delay = nextRestartDelay(restarts, clock.now(), options.policy);
    if (delay === undefined) {
      options.log.error(
        `${unit.name} ${why}; it was restarted ${restarts.length} time(s) lately, giving up.`,
      );
      giveUp(unit.name);
      return;
    }
    options.log.warn(`${unit.name} ${why}; starting it again in ${delay} ms.`);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopping) return;
      const attempts = [...restarts, clock.now()];
      unit.start().then(
        (child) => {
          if (stopping) return void child.stop();
          options.log.info(`${unit.name} is running again.`);
          watch(unit, child, attempts);
        },
        (error: unknown) => retry(unit, attempts, `failed to start: ${(error as Error).message}`),
      );
    }, delay);
    timers.add(timer);
  };

  const stop = async () => {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    await Promise.allSettled([...running.values()].reverse().map((child) => child.stop()));
  };
  try {
    for (const unit of services) watch(unit, await unit.start(), []);
  } catch (error) {
    await stop();
    throw error;
  }
  return { gaveUp, stop };
}
