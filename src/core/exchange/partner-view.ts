import type { DeliveryHealth } from '../delivery/delivery-health.js';
import type { Partner } from '../partner.js';
import type { OutboxCount, OutboxState, PartnerDirectory } from '../ports.js';

/** A partner as operators see it: who, what it exchanges, and how delivery to it is going. */
export interface PartnerView {
  readonly id: string;
  readonly kind: Partner['kind'];
  readonly country: string;
  readonly name: string;
  readonly state: Partner['state'];
  readonly mode: Partner['mode'];
  readonly endpoint: string | null;
  readonly documents: Partner['documents'];
  readonly delivery: {
    readonly queueDepth: number;
    readonly delivered: number;
    readonly rejected: number;
    readonly deadLetters: number;
    readonly lastDeliveredAt: string | null;
    readonly circuit: DeliveryHealth['circuit'] | null;
    readonly consecutiveFailures: number;
    readonly lastFailureAt: string | null;
    readonly lastError: string | null;
  } | null;
}

/**
 * Every partner with its delivery health: outbox counts from storage, circuit and last outcomes from the
 * delivering process (absent where none runs, e.g. on a read replica).
 * @example const views = describePartners(partners, await store.outboxSummary(), (id) => outbox.health(id))
 */
export function describePartners(
  directory: PartnerDirectory,
  counts: readonly OutboxCount[],
  health: (partnerId: string) => DeliveryHealth | undefined,
): PartnerView[] {
  return directory.list().map((partner) => {
    const count = (state: OutboxState) => counts.find((row) => row.partnerId === partner.id && row.state === state);
    const live = partner.kind === 'gateway' ? health(partner.id) : undefined;
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
    };
  });
}
