import type { CertificateExpiry } from '../adapters/crypto/certificate-expiry.js';
import { daysUntil, expiryWarning } from '../core/certificate-expiry-warning.js';
import type { Clock } from '../core/primitives.js';

const DAY_MS = 86_400_000;

/** What the warnings need: the certificates, the threshold (SWX_CERT_WARN_DAYS), the clock and a log. */
export interface CertificateExpiryWarningsWiring {
  readonly certificates: () => readonly CertificateExpiry[];
  readonly warnDays: number;
  readonly clock: Clock;
  readonly log: (level: 'warn', message: string, fields: Record<string, unknown>) => void;
}

/**
 * Logs one warning line per certificate within `warnDays` of its notAfter or past it, with its role, owner, subject,
 * notAfter, days left and fingerprint; returns how many it logged.
 * @example warnExpiringCertificates({ certificates: () => expiries, warnDays: 30, clock, log })
 */
export function warnExpiringCertificates(wiring: CertificateExpiryWarningsWiring): number {
  const now = wiring.clock.now();
  let warned = 0;
  for (const certificate of wiring.certificates()) {
    const warning = expiryWarning(certificate.notAfter, now, wiring.warnDays);
    if (warning === null) continue;
    warned += 1;
    wiring.log('warn', `${certificate.role} certificate of ${certificate.owner}: ${warning}`, {
      role: certificate.role,
      owner: certificate.owner,
      subject: certificate.subject,
      notAfter: certificate.notAfter,
      daysLeft: daysUntil(certificate.notAfter, now),
      fingerprint: certificate.fingerprint,
    });
  }
  return warned;
}

/**
 * Warns once a day from now on (a timer that does not keep the process alive; the start's warning is the caller's
 * warnExpiringCertificates); `stop()` ends it.
 * @example warnExpiringCertificates(wiring); const daily = scheduleCertificateExpiryWarnings(wiring); …; daily.stop()
 */
export function scheduleCertificateExpiryWarnings(wiring: CertificateExpiryWarningsWiring, intervalMs = DAY_MS): { stop(): void } {
  const timer = setInterval(() => warnExpiringCertificates(wiring), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
