import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readReceipt, writeReceipt } from '../../../message-schemas/receipt/1/build.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { withEndpoints } from '../../../src/adapters/partners/partner-directory.js';
import { parseXml } from '../../../src/adapters/xml/xml-codec.js';
import { submitDeclaration } from '../../../src/core/declaration/submit-declaration.js';
import { deliverMessage, type DeliveryDeps, type OpenedReceipt } from '../../../src/core/delivery/deliver-message.js';
import { CoreError } from '../../../src/core/errors.js';
import type { GatewayPartner } from '../../../src/core/partner.js';
import type { OutboxItem } from '../../../src/core/exchange/exchange-store.js';
import type { PartnerTransport, TransportAnswer } from '../../../src/core/delivery/partner-transport.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';
import { anExportDeclaration } from '../../helpers/export-declarations.js';

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
beforeAll(async () => {
  fixture = await coreFixture();
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

/** TH's gateway, reached without a network: it answers each envelope as `answer` says, with a receipt signed by TH's key. */
function thGateway(answer: (envelope: string, digest: string, messageId: string) => TransportAnswer | 'unreachable'): PartnerTransport {
  return {
    post: async (_endpoint, envelope) => {
      const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(envelope)?.[1] ?? '';
      const digest = (await deps.store.getMessage(messageId))?.digest ?? '';
      const answered = answer(envelope, digest, messageId);
      if (answered === 'unreachable') throw new CoreError('DELIVERY_FAILED', 'connect ECONNREFUSED 127.0.0.1:1');
      return answered;
    },
    close: () => Promise.resolve(),
  };
}

function receipt(messageId: string, digest: string, status: 'RECEIVED' | 'REJECTED'): string {
  const errors = status === 'REJECTED' ? [{ code: 'VALIDATION_FAILED', message: 'refused by TH' }] : [];
  const xml = writeReceipt({
    receiptId: randomUUID(),
    messageId,
    from: { gatewayId: 'TH', country: 'TH' },
    to: { gatewayId: 'VN', country: 'VN' },
    status,
    envelopeDigest: digest,
    errors,
    createdAt: new Date().toISOString(),
  });
  return fixture.signerOf('TH').signSync(xml);
}

function openReceipt(xml: string, partner: GatewayPartner): OpenedReceipt {
  const report = new XmlDsigVerifier().verify(xml, deps.partners.trustFor(partner.id).certificatePem);
  return report.outcome === 'VALID' ? { ok: true, receipt: readReceipt(parseXml(xml)) } : { ok: false, reason: 'signature not valid' };
}

/** The ACDD of a declaration submitted (by the HTTP request `requestId`, when given), queued for TH. */
async function queuedAcdd(requestId?: string): Promise<OutboxItem> {
  const document = anExportDeclaration();
  const body = new TextEncoder().encode(JSON.stringify(document));
  const { id } = await submitDeclaration(deps, {
    partyId: document.exporter.taxId,
    document,
    mediaType: 'application/json',
    body,
    idempotencyKey: undefined,
    ...(requestId === undefined ? {} : { requestId }),
  });
  const [acdd] = await deps.store.listMessages(id);
  return (await deps.store.getOutbox(acdd?.messageId ?? '')) as OutboxItem;
}

/** TH is a simulated gateway: it gets an endpoint here, which the transport never dials. */
const deliveryDeps = (transport: PartnerTransport): DeliveryDeps => ({
  ...deps,
  partners: withEndpoints(deps.partners, new Map([['TH', 'http://127.0.0.1:1/v1/exchange']])),
  transport,
  random: () => 0.5,
  openReceipt,
});

describe('deliverMessage', () => {
  it('marks the message DELIVERED on a receipt signed by the partner for exactly what was sent, keeping the receipt', async () => {
    const item = await queuedAcdd();
    const outcome = await deliverMessage(deliveryDeps(thGateway((_, digest, id) => ({ status: 200, body: receipt(id, digest, 'RECEIVED') }))), item);
    expect(outcome).toBe('DELIVERED');
    expect(await deps.store.getOutbox(item.messageId)).toMatchObject({ state: 'DELIVERED', attempts: 1 });
    expect((await deps.store.getMessage(item.messageId))?.receipt).toContain('<Status>RECEIVED</Status>');
    expect(
      deps.store
        .ledgerEntries()
        .slice(-2)
        .map((entry) => entry.type),
    ).toEqual(['MESSAGE_DELIVERED', 'RECEIPT_VERIFIED']);
  });

  it('takes a signed rejection (4xx) as definitive: REJECTED, never retried', async () => {
    const item = await queuedAcdd();
    const outcome = await deliverMessage(deliveryDeps(thGateway((_, digest, id) => ({ status: 422, body: receipt(id, digest, 'REJECTED') }))), item);
    expect(outcome).toBe('REJECTED');
    expect(await deps.store.getOutbox(item.messageId)).toMatchObject({ state: 'REJECTED', lastError: 'VALIDATION_FAILED: refused by TH' });
  });

  it('retries later when the partner cannot be reached, or answers with a receipt for other bytes', async () => {
    const item = await queuedAcdd();
    expect(await deliverMessage(deliveryDeps(thGateway(() => 'unreachable')), item)).toBe('RETRY');
    const after = await deps.store.getOutbox(item.messageId);
    expect(after).toMatchObject({ state: 'PENDING', attempts: 1, lastError: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(
      await deliverMessage(
        deliveryDeps(thGateway((_, __, id) => ({ status: 200, body: receipt(id, `${'A'.repeat(43)}=`, 'RECEIVED') }))),
        after as OutboxItem,
      ),
    ).toBe('RETRY');
    expect(await deps.store.getOutbox(item.messageId)).toMatchObject({
      state: 'PENDING',
      attempts: 2,
      lastError: 'receipt digest does not match the envelope sent',
    });
    expect(
      deps.store
        .ledgerEntries()
        .slice(-2)
        .map((entry) => entry.type),
    ).toEqual(['DELIVERY_FAILED', 'DELIVERY_FAILED']);
  });

  it('sends the id of the request that queued the message as X-Request-Id on every attempt, else the message id', async () => {
    const sent: (string | undefined)[] = [];
    const unreachable: PartnerTransport = {
      post: async (_endpoint, _envelope, options) => {
        sent.push(options.requestId);
        throw new CoreError('DELIVERY_FAILED', 'connect ECONNREFUSED 127.0.0.1:1');
      },
      close: () => Promise.resolve(),
    };
    const requested = await queuedAcdd('coffee-to-bangkok-7');
    expect(requested.requestId).toBe('coffee-to-bangkok-7');
    await deliverMessage(deliveryDeps(unreachable), requested);
    await deliverMessage(deliveryDeps(unreachable), (await deps.store.getOutbox(requested.messageId)) as OutboxItem);
    const unrequested = await queuedAcdd();
    await deliverMessage(deliveryDeps(unreachable), unrequested);
    expect(sent).toEqual(['coffee-to-bangkok-7', 'coffee-to-bangkok-7', unrequested.messageId]);
  });
});
