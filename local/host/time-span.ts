import { PlatformError } from '../../shared/errors.js';

/** Parses a .NET TimeSpan as host.json writes them ("00:05:00", "1.02:00:00") into milliseconds. */
export function parseTimeSpan(value: string): number {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(value.trim());
  if (!match) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `'${value}' is not a time span; write it as hh:mm:ss or d.hh:mm:ss.`,
      { value },
    );
  }
  const [, days = '0', hours = '0', minutes = '0', seconds = '0', fraction = '0'] = match;
  return (
    ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 +
    Number(seconds) * 1000 +
    Math.round(Number(`0.${fraction}`) * 1000)
  );
}
