// Service Bus entity properties are ISO 8601 durations ("PT1M", "P14D", "PT0.5S"), as in
// Microsoft's emulator config and the ARM templates.
const pattern =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration, or undefined when the text is not one. */
export function parseIsoDuration(text: string): number | undefined {
  const match = pattern.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, days, hours, minutes, seconds] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return Math.round(
    (((days ?? 0) * 24 + (hours ?? 0)) * 60 + (minutes ?? 0)) * 60_000 + (seconds ?? 0) * 1000,
  );
}
