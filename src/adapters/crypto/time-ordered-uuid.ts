/**
 * A UUID version 7 (RFC 9562 §5.7): the Unix time in milliseconds in the first 48 bits, then 74 random bits (from
 * `crypto.randomUUID()`, whose random bits it keeps). Ids made one after another sort one after another, so the
 * primary keys and indexes that hold them (declarations, messages, outbox, timeline) grow at their right edge: a
 * commit writes one index page per table instead of one per row, and the pages it needs stay in SQLite's cache.
 * @example timeOrderedUuid() // '019ae9a4-0f5b-7c1e-9a4d-…'
 */
export function timeOrderedUuid(now: number = Date.now(), random: string = crypto.randomUUID()): string {
  const time = now.toString(16).padStart(12, '0');
  // random is xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx: its first 48 bits become the time, its version digit 7.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
