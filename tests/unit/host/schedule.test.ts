import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../../local/host/timer/schedule.js';
import { parseTimeSpan } from '../../../local/host/time-span.js';

const at = (iso: string) => Date.parse(iso);

describe('timer schedules', () => {
  it('reads NCRONTAB with seconds', () => {
    const everyFiveMinutes = parseSchedule('0 */5 * * * *');
    expect(new Date(everyFiveMinutes.next(at('2026-01-01T00:03:10Z'))).toISOString()).toBe(
      '2026-01-01T00:05:00.000Z',
    );
    const nightly = parseSchedule('0 0 2 * * *');
    expect(new Date(nightly.next(at('2026-01-01T02:00:00Z'))).toISOString()).toBe('2026-01-02T02:00:00.000Z');
    const weekdays = parseSchedule('0 30 9 * * 1-5');
    expect(new Date(weekdays.next(at('2026-01-03T00:00:00Z'))).toISOString()).toBe(
      '2026-01-05T09:30:00.000Z',
    );
  });

  it('gives the next occurrence strictly after the instant, so a slot fires once', () => {
    const everySecond = parseSchedule('* * * * * *');
    expect(everySecond.next(at('2026-01-01T00:00:01Z'))).toBe(at('2026-01-01T00:00:02Z'));
  });

  it('reads TimeSpan intervals', () => {
    const interval = parseSchedule('00:00:30');
    expect(interval.next(at('2026-01-01T00:00:10Z'))).toBe(at('2026-01-01T00:00:30Z'));
  });

  it('refuses schedules without seconds or with bad fields, naming the schedule', () => {
    expect(() => parseSchedule('*/5 * * * *')).toThrow(
      /Invalid timer schedule '\*\/5 \* \* \* \*': NCRONTAB needs 6 fields/,
    );
    expect(() => parseSchedule('0 0 25 * * *')).toThrow(/Invalid timer schedule/);
  });

  it('parses host.json time spans', () => {
    expect(parseTimeSpan('00:05:00')).toBe(300_000);
    expect(parseTimeSpan('1.02:00:00')).toBe(26 * 3_600_000);
    expect(parseTimeSpan('00:00:00.500')).toBe(500);
    expect(() => parseTimeSpan('5 minutes')).toThrow(/hh:mm:ss/);
  });
});
