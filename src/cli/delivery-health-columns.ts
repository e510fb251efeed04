import type { PartnerColumn, PartnerColumnSource } from './commands/partners-list.js';
import { openExchangeStore } from './outbox-database.js';

/**
 * The delivery columns of `swx partners list`, from the outbox in the data dir: messages queued, dead letters,
 * and the last delivery. (The circuit's state lives in the running service: GET /v1/partners.)
 * @example createPartnersListCommand({ columns: deliveryHealthColumns })
 */
export const deliveryHealthColumns: PartnerColumnSource = async ({ dataDir }) => {
  const opened = openExchangeStore(dataDir);
  if (!opened) return [];
  try {
    const counts = await opened.store.outboxSummary();
    const of = (partnerId: string, state: string) => counts.find((row) => row.partnerId === partnerId && row.state === state);
    const gatewayOnly = (value: (id: string) => string | number | null): PartnerColumn['value'] => (partner) =>
      partner.kind === 'gateway' ? value(partner.id) : null;
    return [
      { key: 'queueDepth', header: 'QUEUED', value: gatewayOnly((id) => of(id, 'PENDING')?.count ?? 0) },
      { key: 'deadLetters', header: 'DEAD', value: gatewayOnly((id) => of(id, 'DEAD_LETTER')?.count ?? 0) },
      { key: 'lastDeliveredAt', header: 'LAST DELIVERED', value: gatewayOnly((id) => of(id, 'DELIVERED')?.lastChangeAt ?? null) },
    ];
  } finally {
    opened.close();
  }
};
