/**
 * A number of seconds in words an officer reads at a glance: "0.25 s", "45 s", "12 min", "2.5 h", "3.1 d".
 * @example writeSeconds(5400) // '1.5 h'
 */
export function writeSeconds(seconds: number): string {
  if (seconds < 10) return `${Math.round(seconds * 100) / 100} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${round(seconds / 60)} min`;
  if (seconds < 86_400) return `${round(seconds / 3600)} h`;
  return `${round(seconds / 86_400)} d`;
}

const round = (value: number): string => String(Math.round(value * 10) / 10);
