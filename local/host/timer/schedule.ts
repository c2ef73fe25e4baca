// NCRONTAB schedules with seconds ("0 */5 * * * *") and TimeSpan intervals ("00:00:30"), as the
// timer trigger accepts them. Pure: next occurrence after a given instant.
import { Cron } from 'croner';
import { PlatformError } from '../../../shared/errors.js';
import { parseTimeSpan } from '../time-span.js';

export interface Schedule {
  readonly source: string;
  /** The first occurrence strictly after `after` (epoch ms). */
  next(after: number): number;
}

export function parseSchedule(expression: string, timeZone = 'UTC'): Schedule {
  const source = expression.trim();
  if (/^(\d+\.)?\d{1,2}:\d{2}:\d{2}$/.test(source)) {
    const interval = parseTimeSpan(source);
    if (interval <= 0) throw invalid(source, 'the interval must be positive');
    return { source, next: (after) => (Math.floor(after / interval) + 1) * interval };
  }
  const fields = source.split(/\s+/);
  if (fields.length !== 6) {
    throw invalid(
      source,
      `NCRONTAB needs 6 fields ({second} {minute} {hour} {day} {month} {day-of-week}); it has ${fields.length}`,
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(source, { paused: true, timezone: timeZone });
  } catch (error) {
    throw invalid(source, (error as Error).message);
  }
  return {
    source,
    next: (after) => {
      const next = cron.nextRun(new Date(after));
      if (!next) throw invalid(source, 'it never fires');
      return next.getTime();
    },
  };
}

function invalid(source: string, why: string): PlatformError {
  return new PlatformError('INVALID_CONFIG', `Invalid timer schedule '${source}': ${why}.`, {
    schedule: source,
  });
}
