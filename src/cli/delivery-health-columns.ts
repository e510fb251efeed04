import type { PartnerCircuitRecord } from '../core/delivery/partner-circuit-log.js';
import type { PartnerColumn, PartnerColumnSource } from './partner-columns.js';
import { openExchangeStore } from './open-exchange-store.js';

/**
 * The delivery columns of `swx partners list`, read from the database in the data dir: messages queued, dead
 * letters and the last delivery from the outbox; the circuit, its consecutive failures and the last failure as the
 * delivering process recorded them, with a note saying how fresh that record is.
 * @example createPartnersListCommand({ columns: deliveryHealthColumns })
 */
export const deliveryHealthColumns: PartnerColumnSource = async ({ dataDir }) => {
  const opened = openExchangeStore(dataDir);
  if (!opened) return { columns: [], notes: [`No database in ${dataDir} yet: no delivery health to show.`] };
  try {
    const counts = await opened.store.outboxSummary();
    const circuits = new Map((await opened.circuits.list()).map((record) => [record.partnerId, record]));
    const now = Date.now();
    const of = (partnerId: string, state: string) => counts.find((row) => row.partnerId === partnerId && row.state === state);
    const gatewayOnly =
      (value: (id: string) => string | number | null): PartnerColumn['value'] =>
      (partner) =>
        partner.kind === 'gateway' ? value(partner.id) : null;
    const lastDelivered = (id: string) => of(id, 'DELIVERED')?.lastChangeAt ?? null;
    const circuit = (id: string) => circuits.get(id);
    return {
      columns: [
        { key: 'queueDepth', header: 'QUEUED', value: gatewayOnly((id) => of(id, 'PENDING')?.count ?? 0) },
        { key: 'deadLetters', header: 'DEAD', value: gatewayOnly((id) => of(id, 'DEAD_LETTER')?.count ?? 0) },
        {
          key: 'lastDeliveredAt',
          header: 'DELIVERED',
          value: gatewayOnly((id) => ago(lastDelivered(id), now)),
          json: (partner) => (partner.kind === 'gateway' ? lastDelivered(partner.id) : null),
        },
        {
          key: 'circuit',
          header: 'CIRCUIT',
          value: gatewayOnly((id) => {
            const record = circuit(id);
            return record ? stateAt(record, now) : null;
          }),
          json: (partner) => {
            const record = circuit(partner.id);
            return record ? { ...record, state: stateAt(record, now) } : null;
          },
        },
        { key: 'consecutiveFailures', header: 'FAILS', value: gatewayOnly((id) => circuit(id)?.consecutiveFailures ?? null) },
        {
          key: 'lastFailureAt',
          header: 'LAST FAILURE',
          value: gatewayOnly((id) => ago(circuit(id)?.lastFailureAt ?? null, now)),
          json: (partner) => circuit(partner.id)?.lastFailureAt ?? null,
        },
      ],
      notes: [freshness([...circuits.values()], now)],
    };
  } finally {
    opened.close();
  }
};

/** An open circuit whose waiting time is over lets the next delivery through as a probe: half-open. */
function stateAt(record: PartnerCircuitRecord, now: number): PartnerCircuitRecord['state'] {
  return record.state === 'OPEN' && record.probeAt !== undefined && Date.parse(record.probeAt) <= now ? 'HALF_OPEN' : record.state;
}

function freshness(records: readonly PartnerCircuitRecord[], now: number): string {
  if (records.length === 0) {
    return 'CIRCUIT: none recorded, so no swx is delivering from this data dir now (it records its circuits while it runs).';
  }
  const latest =
    records
      .map((record) => record.recordedAt)
      .sort()
      .at(-1) ?? '';
  return `CIRCUIT, FAILS, LAST FAILURE: as the delivering swx last recorded them (it clears them when it stops); latest change ${ago(latest, now)}, ${latest}.`;
}

/** How long ago an ISO time was, in the largest whole unit: `45s ago`, `12m ago`, `3h ago`, `2d ago`. */
function ago(iso: string | null, now: number): string | null {
  if (iso === null) return null;
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7_200) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 172_800) return `${Math.floor(seconds / 3_600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
