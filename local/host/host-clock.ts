// The host's clock. Normally the system's; with the setting LOCAL_HOST_CLOCK=manual (for tests)
// it follows the system's but can be moved ahead through `POST /admin/clock` (master key), so a
// test fires durable timers, approval timeouts and timer triggers without waiting for them.
import { z } from 'zod';
import { ManualClock, systemClock, type Clock } from '../../shared/clock.js';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import type { HostRoute } from './extension.js';
import type { HostSettings } from './settings.js';

export const clockSetting = 'LOCAL_HOST_CLOCK';

const advanceSchema = z.union([
  z.strictObject({ advanceMs: z.number().int().nonnegative() }),
  z.strictObject({ to: z.iso.datetime({ offset: true }) }),
]);

export interface HostClock {
  clock: Clock;
  routes: HostRoute[];
}

export function hostClock(settings: HostSettings, given?: Clock): HostClock {
  const mode = settings.get(clockSetting) ?? 'system';
  if (mode === 'system') return { clock: given ?? systemClock, routes: [] };
  if (mode !== 'manual') {
    throw new PlatformError(
      'INVALID_CONFIG',
      `${clockSetting} must be 'system' or 'manual', not '${mode}'.`,
      {
        setting: clockSetting,
      },
    );
  }
  const clock = ManualClock.following(given ?? systemClock);
  const now = () => ({ status: 200, body: { now: new Date(clock.now()).toISOString(), mode } });
  return {
    clock,
    routes: [
      { methods: ['GET'], template: 'admin/clock', auth: 'admin', handle: async () => now() },
      {
        methods: ['POST'],
        template: 'admin/clock',
        auth: 'admin',
        async handle(request) {
          const input = parseInput(advanceSchema, jsonOf(request.body), 'clock change');
          const ms = 'advanceMs' in input ? input.advanceMs : Date.parse(input.to) - clock.now();
          if (ms < 0) {
            throw new PlatformError('INVALID_INPUT', 'The clock only moves forward.', {
              field: 'to',
              now: new Date(clock.now()).toISOString(),
            });
          }
          clock.advance(ms);
          return now();
        },
      },
    ],
  };
}

function jsonOf(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new PlatformError('INVALID_INPUT', 'The request body is not valid JSON.', { field: 'body' });
  }
}
