import { Counter, Gauge, type Registry } from 'prom-client';
import type { CertificateExpiry } from '../adapters/crypto/certificate-expiry.js';
import type { SqliteStateMetrics } from '../adapters/storage/sqlite-state-metrics.js';
import type { DeliveryHealth } from '../core/delivery/delivery-health.js';
import type { PartnerDirectory } from '../core/partner.js';
import type { Clock } from '../core/primitives.js';
import { registerScrapeHistogram } from './scrape-histogram.js';

/** Bounds of `swx_declaration_clearance_seconds`: a minute to a week. */
export const CLEARANCE_BUCKETS = [60, 300, 900, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400] as const;

export interface StateSources {
  readonly state: SqliteStateMetrics;
  readonly partners: PartnerDirectory;
  readonly health: (partnerId: string) => DeliveryHealth;
  /** The certificates swx holds (listCertificateExpiries: its own, each partner gateway's, their roots and NPPOs'). */
  readonly certificates: () => readonly CertificateExpiry[];
  readonly clock: Clock;
}

/**
 * The metrics read from the database and the delivering process at scrape time rather than counted as events, so
 * that they survive restarts and include what the CLI changed:
 * - `swx_declarations{kind,status,channel}`: a gauge of the declarations in each status (not a counter of
 *   transitions: the store already holds the answer exactly, and a process-local counter would restart at zero);
 * - `swx_declaration_clearance_seconds{channel,outcome}`: histogram of submission to release or rejection;
 * - `swx_inbound_envelopes_total{partner,document_type,outcome}`: accepted envelopes from the message table, refused ones as
 *   counted by `countRefused` (their document type is never read: `unknown`);
 * - `swx_outbox_messages{partner,state}`, `swx_outbox_oldest_pending_age_seconds{partner}`: one outbox query;
 * - `swx_partner_circuit_state{partner,state}`: 1 for the partner's current circuit state, 0 for the others;
 * - `swx_ledger_entries`, `swx_ledger_checkpoint_age_seconds`;
 * - `swx_certificate_expiry_days{kind,owner,subject}`: days until each certificate swx holds expires.
 * @example const countRefused = observeState(metrics.registry, { state, partners, health, certificates, clock })
 */
export function observeState(registry: Registry, sources: StateSources): (partnerId: string | null) => void {
  const { state, partners, clock } = sources;
  const nowSeconds = () => clock.now().getTime() / 1000;
  const secondsOf = (iso: string) => Date.parse(iso) / 1000;
  new Gauge({
    name: 'swx_declarations',
    help: 'Declarations by kind, status and channel',
    labelNames: ['kind', 'status', 'channel'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of state.declarations()) this.set({ kind: row.kind, status: row.status, channel: row.channel }, row.count);
    },
  });
  registerScrapeHistogram(registry, {
    name: 'swx_declaration_clearance_seconds',
    help: 'Time from submission to release or rejection, by channel and outcome',
    bounds: CLEARANCE_BUCKETS,
    read: () => state.clearance(CLEARANCE_BUCKETS).map((row) => ({ labels: { channel: row.channel, outcome: row.status }, ...row })),
  });
  const refused = new Map<string, number>();
  new Counter({
    name: 'swx_inbound_envelopes_total',
    help: 'Envelopes received on POST /v1/exchange by partner, document type and outcome (accepted or refused)',
    labelNames: ['partner', 'document_type', 'outcome'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of state.inbound()) this.inc({ partner: row.partnerId, document_type: row.documentType, outcome: 'accepted' }, row.count);
      for (const [partner, count] of refused) this.inc({ partner, document_type: 'unknown', outcome: 'refused' }, count);
    },
  });
  new Gauge({
    name: 'swx_outbox_messages',
    help: 'Outbox messages by partner and state (PENDING is the depth, DEAD_LETTER awaits an operator)',
    labelNames: ['partner', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const rows = state.outbox();
      for (const row of rows) this.set({ partner: row.partnerId, state: row.state }, row.count);
      oldest.reset();
      for (const row of rows) {
        if (row.state === 'PENDING') oldest.set({ partner: row.partnerId }, Math.max(0, nowSeconds() - secondsOf(row.oldestCreatedAt)));
      }
    },
  });
  const oldest = new Gauge({
    name: 'swx_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest pending outbox message per partner (read with swx_outbox_messages)',
    labelNames: ['partner'],
    registers: [registry],
  });
  new Gauge({
    name: 'swx_partner_circuit_state',
    help: "1 for each gateway partner's current circuit state (CLOSED, OPEN, HALF_OPEN), 0 for the others",
    labelNames: ['partner', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const partner of partners.list()) {
        if (partner.kind !== 'gateway') continue;
        const { circuit } = sources.health(partner.id);
        for (const possible of ['CLOSED', 'OPEN', 'HALF_OPEN'] as const)
          this.set({ partner: partner.id, state: possible }, possible === circuit ? 1 : 0);
      }
    },
  });
  const checkpointAge = new Gauge({
    name: 'swx_ledger_checkpoint_age_seconds',
    help: 'Seconds since the newest signed ledger checkpoint was published (absent before the first)',
    registers: [registry],
  });
  new Gauge({
    name: 'swx_ledger_entries',
    help: 'Entries in the ledger',
    registers: [registry],
    collect() {
      const ledger = state.ledger();
      this.set(ledger.entries);
      checkpointAge.reset();
      if (ledger.lastCheckpointAt !== undefined) checkpointAge.set(Math.max(0, nowSeconds() - secondsOf(ledger.lastCheckpointAt)));
    },
  });
  new Gauge({
    name: 'swx_certificate_expiry_days',
    help: 'Days until a certificate swx holds expires, by kind (gateway-signing, tls-server, partner-gateway, partner-root, partner-nppo), owner and subject',
    labelNames: ['kind', 'owner', 'subject'],
    registers: [registry],
    collect() {
      this.reset();
      for (const held of sources.certificates()) {
        this.set({ kind: held.role, owner: held.owner, subject: held.subject }, (Date.parse(held.notAfter) / 1000 - nowSeconds()) / 86_400);
      }
    },
  });
  return (partnerId) => refused.set(partnerId ?? 'unknown', (refused.get(partnerId ?? 'unknown') ?? 0) + 1);
}
