import { z } from 'zod';
import { daysUntil, expiryWarning } from '../certificate-expiry-warning.js';
import type { DeliveryHealth } from '../delivery/delivery-health.js';
import type { OutboxCount, OutboxState } from './exchange-store.js';
import type { PartnerDirectory } from '../partner.js';

const DocumentList = z.array(z.object({ type: z.string(), versions: z.array(z.string()).readonly() }).readonly()).readonly();

/** A partner as operators see it (`GET /v1/partners`): who, what it exchanges, and how delivery to it is going. */
export const PartnerView = z
  .object({
    id: z.string().meta({ example: 'TH' }),
    kind: z.enum(['gateway', 'agency']),
    country: z.string(),
    name: z.string(),
    state: z.enum(['live', 'test', 'planned']),
    mode: z.enum(['live', 'simulated']),
    endpoint: z.string().nullable(),
    documents: z.object({ send: DocumentList, receive: DocumentList }).readonly(),
    delivery: z
      .object({
        queueDepth: z.int(),
        delivered: z.int(),
        rejected: z.int(),
        deadLetters: z.int(),
        lastDeliveredAt: z.string().nullable(),
        circuit: z.enum(['CLOSED', 'OPEN', 'HALF_OPEN']).nullable(),
        consecutiveFailures: z.int(),
        lastFailureAt: z.string().nullable(),
        lastError: z.string().nullable(),
      })
      .readonly()
      .nullable()
      .meta({ description: 'Gateways only: outbox counts, circuit state and the last outcomes' }),
    certificate: z
      .object({
        notAfter: z.string().meta({ example: '2027-01-11T00:00:00.000Z' }),
        daysLeft: z.int(),
        warning: z.string().nullable().meta({ example: 'certificate expires in 10 days (2027-01-11T00:00:00.000Z)' }),
      })
      .readonly()
      .nullable()
      .meta({
        description:
          'Gateways only: when the certificate pinned for the gateway lapses, and a warning once within SWX_CERT_WARN_DAYS of it (or past it); null when unknown',
      }),
  })
  .readonly()
  .meta({ id: 'Partner' });
export type PartnerView = z.infer<typeof PartnerView>;

/** When each partner's pinned certificate lapses, and from how many days before that a warning shows. */
export interface PartnerCertificateDates {
  /** When the certificate of gateway `partnerId` lapses: a partner's pinned one, or swx's own signing one for its own id. */
  notAfterOf(partnerId: string): string | undefined;
  readonly warnDays: number;
}

/**
 * Every partner with its delivery health: outbox counts from storage, circuit and last outcomes from the
 * delivering process (absent where none runs, e.g. on a read replica), and the pinned certificate's notAfter with
 * a warning as of `now` when `certificates` knows it.
 * @example const views = describePartners(partners, await store.outboxSummary(), (id) => outbox.health(id), { certificates, now: clock.now() })
 */
export function describePartners(
  directory: PartnerDirectory,
  counts: readonly OutboxCount[],
  health: (partnerId: string) => DeliveryHealth | undefined,
  expiry?: { readonly certificates: PartnerCertificateDates; readonly now: Date },
): PartnerView[] {
  return directory.list().map((partner) => {
    const count = (state: OutboxState) => counts.find((row) => row.partnerId === partner.id && row.state === state);
    const live = partner.kind === 'gateway' ? health(partner.id) : undefined;
    const notAfter = partner.kind === 'gateway' ? expiry?.certificates.notAfterOf(partner.id) : undefined;
    return {
      id: partner.id,
      kind: partner.kind,
      country: partner.country,
      name: partner.name,
      state: partner.state,
      mode: partner.mode,
      endpoint: partner.endpoint ?? null,
      documents: partner.documents,
      delivery:
        partner.kind !== 'gateway'
          ? null
          : {
              queueDepth: count('PENDING')?.count ?? 0,
              delivered: count('DELIVERED')?.count ?? 0,
              rejected: count('REJECTED')?.count ?? 0,
              deadLetters: count('DEAD_LETTER')?.count ?? 0,
              lastDeliveredAt: count('DELIVERED')?.lastChangeAt ?? null,
              circuit: live?.circuit ?? null,
              consecutiveFailures: live?.consecutiveFailures ?? 0,
              lastFailureAt: live?.lastFailureAt ?? null,
              lastError: live?.lastError ?? null,
            },
      certificate:
        notAfter === undefined || expiry === undefined
          ? null
          : {
              notAfter,
              daysLeft: daysUntil(notAfter, expiry.now),
              warning: expiryWarning(notAfter, expiry.now, expiry.certificates.warnDays),
            },
    };
  });
}
