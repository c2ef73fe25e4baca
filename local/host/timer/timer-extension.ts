// The timer trigger. Its schedule status (last and next occurrence) lives in storage like the
// Azure host's, so a restart that missed an occurrence fires once at start with isPastDue.
import type { Cancel } from '../../../shared/clock.js';
import { singletonLease } from '../storage/singleton-lease.js';
import { hostId, hostsContainer, storageClients } from '../storage/storage-clients.js';
import type { HostContext, HostExtension, RegisteredFunction, TriggerListener } from '../extension.js';
import { parseSchedule } from './schedule.js';
import { createTimerStatusStore, type TimerStatus } from './timer-status-store.js';

export function timerExtension(): HostExtension {
  return { name: 'timer', triggers: { timerTrigger: (fn, host) => timerListener(fn, host) } };
}

function timerListener(fn: RegisteredFunction, host: HostContext): TriggerListener {
  const schedule = parseSchedule(
    String(fn.trigger.schedule ?? ''),
    host.settings.get('WEBSITE_TIME_ZONE') ?? 'UTC',
  );
  const log = host.log.child({ functionName: fn.name });
  const clients = storageClients(host.settings, undefined, `timer function '${fn.name}'`);
  const id = hostId(host.settings, host.appDir);
  const hosts = clients.blob.getContainerClient(hostsContainer);
  const store = createTimerStatusStore(hosts, `timers/${id}/${fn.id}/status`);
  const lock = singletonLease(hosts, `locks/${id}/${fn.id}.Listener`, (why) =>
    log.warn(`Lost the timer's singleton lease: ${why}`),
  );
  const abort = new AbortController();
  let cancelTimer: Cancel | undefined;
  let running: Promise<void> = Promise.resolve();
  let starting: Promise<void> = Promise.resolve();
  let last: number | undefined;

  /** Runs the occurrence `slot` and records it; returns the occurrence after it. */
  const fire = async (slot: number, isPastDue: boolean) => {
    const next = schedule.next(Math.max(slot, host.clock.now()));
    const status: TimerStatus = { Last: iso(last), Next: iso(next), LastUpdated: iso(host.clock.now()) };
    try {
      await host.invoke(fn, {
        trigger: {
          json: JSON.stringify({
            Schedule: { AdjustForDST: true },
            ScheduleStatus: status,
            IsPastDue: isPastDue,
          }),
        },
      });
    } catch {
      // Logged by the invoker; as in Azure, only the function's retry policy (if any) runs it again.
    }
    last = slot;
    await store.write({ Last: iso(slot), Next: iso(next), LastUpdated: iso(host.clock.now()) });
    return next;
  };

  const arm = (slot: number) => {
    if (abort.signal.aborted) return;
    cancelTimer = host.clock.schedule(slot - host.clock.now(), () => {
      running = fire(slot, false).then(arm, (error: unknown) => {
        log.error(`Timer status could not be saved: ${(error as Error).message}`);
        arm(schedule.next(host.clock.now()));
      });
    });
  };

  const begin = async () => {
    await lock.acquire(abort.signal);
    if (abort.signal.aborted) return;
    const saved = await store.read();
    const now = host.clock.now();
    const due = saved?.Next ? Date.parse(saved.Next) : undefined;
    last = saved?.Last ? Date.parse(saved.Last) : undefined;
    let next = schedule.next(now);
    if (due !== undefined && due < now) {
      log.info(`Past due: the occurrence at ${saved?.Next} was missed; running now.`);
      next = await fire(now, true);
    } else if (fn.trigger.runOnStartup === true) {
      next = await fire(now, false);
    } else {
      await store.write({ Last: saved?.Last ?? null, Next: iso(next), LastUpdated: iso(now) });
    }
    arm(next);
  };

  return {
    async start() {
      // Another host holding the lease keeps this one waiting in the background, not at start.
      starting = begin().catch((error: unknown) =>
        log.error(`The timer could not start: ${(error as Error).message}`),
      );
    },
    async stop() {
      abort.abort();
      await starting;
      cancelTimer?.();
      await running;
      await lock.release();
    },
  };
}

function iso(epoch: number | undefined): string | null {
  return epoch === undefined ? null : new Date(epoch).toISOString();
}
