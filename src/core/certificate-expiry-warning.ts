const DAY_MS = 86_400_000;

/**
 * Whole days from `now` until `notAfter` (ISO 8601), rounded down; negative once it has passed.
 * @example daysUntil('2027-01-11T00:00:00.000Z', new Date('2027-01-01T00:00:00Z')) // 10
 */
export function daysUntil(notAfter: string, now: Date): number {
  return Math.floor((Date.parse(notAfter) - now.getTime()) / DAY_MS);
}

/**
 * The warning an operator sees for a certificate within `warnDays` of its notAfter (`SWX_CERT_WARN_DAYS`), or past it;
 * null while it has longer to run.
 * @example expiryWarning('2027-01-11T00:00:00.000Z', new Date('2027-01-01T00:00:00Z'), 30) // 'certificate expires in 10 days (2027-01-11T00:00:00.000Z)'
 */
export function expiryWarning(notAfter: string, now: Date, warnDays: number): string | null {
  const days = daysUntil(notAfter, now);
  if (Date.parse(notAfter) <= now.getTime()) return `certificate expired on ${notAfter}`;
  if (days > warnDays) return null;
  return `certificate expires in ${days} ${days === 1 ? 'day' : 'days'} (${notAfter})`;
}
