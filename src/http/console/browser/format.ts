/** How the console writes times and ages: Viet Nam time (ICT, UTC+7), whatever the browser's own time zone. */

const ICT = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Ho_Chi_Minh',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * An ISO 8601 instant in Viet Nam time, "2026-12-05 09:31:07 ICT"; text that is no instant is answered as it is.
 * @example inIct('2026-12-05T02:31:07Z') // '2026-12-05 09:31:07 ICT'
 */
export function inIct(iso: string | null | undefined): string {
  if (!iso) return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const part = Object.fromEntries(ICT.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part['year']}-${part['month']}-${part['day']} ${part['hour']}:${part['minute']}:${part['second']} ICT`;
}

/**
 * How long ago `iso` was, in words: "3 min", "2 h 5 min", "4 d 3 h".
 * @example age('2026-12-05T02:00:00Z', new Date('2026-12-05T04:05:00Z')) // '2 h 5 min'
 */
export function age(iso: string, now: Date = new Date()): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}
