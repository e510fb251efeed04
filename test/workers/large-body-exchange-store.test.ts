import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { R2BodyStore } from '../../src/adapters/r2/r2-body-store.js';
import { LargeBodyExchangeStore } from '../../src/adapters/storage/large-body-exchange-store.js';
import type { Certificate } from '../../src/core/certificate/certificate.js';
import { toHex } from '../../src/core/encoding.js';
import { ChangeBuilder } from '../../src/core/exchange/change-builder.js';
import { storagePortsOver } from '../../src/runtime/worker/storage-rpc.js';
import { describeExchangeStoreContract } from '../adapters/storage/exchange-store.contract.js';
import { anExchangeStoreInObject, inExchangeObject } from './in-exchange-object.js';
import { queueingToTh } from './queued-message.js';

const MB = 1_000_000;

/** A new EXCHANGE object, its store as the Worker sees it (over RPC, large bodies in the BODIES bucket), and its rows. */
function aWorkerStore() {
  const id = env.EXCHANGE.newUniqueId();
  const stub = env.EXCHANGE.get(id);
  const rpc = storagePortsOver((port, method, args) => stub.call(port, method, args)).store;
  return {
    rpc,
    store: new LargeBodyExchangeStore(rpc, new R2BodyStore(env.BODIES), nodeSha256),
    /** One row's column, as SQLite holds it in the object. */
    column: (sql: string, key: string) => inExchangeObject(id, (object) => object.db.prepare(sql).pluck().get(key) as string),
  };
}

/** A signed-envelope stand-in of `bytes` UTF-8 bytes or a little more, with Vietnamese text (two- and three-byte characters). */
function anEnvelopeOf(messageId: string, bytes: number): string {
  const text = 'Cà phê Robusta hạt xanh, loại 1. ';
  return `<Envelope xmlns="urn:swx:envelope:1"><MessageId>${messageId}</MessageId><Note>${text.repeat(Math.ceil(bytes / text.length))}</Note></Envelope>`;
}

const queueing = (envelope: string) => queueingToTh(envelope, 'EPHYTO');

/** An inbound ePhyto whose document carries a PDF attachment of `bytes` base64 characters. */
function anEphytoWithAttachment(id: string, bytes: number): Certificate {
  const at = new Date().toISOString();
  return {
    id,
    documentType: 'EPHYTO',
    direction: 'IN',
    referenceNumber: `TH-PC-${id}`,
    issuingCountry: 'TH',
    importingCountry: 'VN',
    partnerId: 'TH',
    agencyId: 'VN-PPD',
    status: 'RECEIVED',
    document: {
      certificateNumber: `TH-PC-${id}`,
      referencedDocuments: [
        { typeCode: '916', attachment: { filename: 'inspection.pdf', mimeCode: 'application/pdf', content: 'JVBERi0xLjcK'.repeat(bytes / 12) } },
      ],
    },
    messageId: undefined,
    replaces: undefined,
    issueDate: at.slice(0, 10),
    validUntil: undefined,
    utilisation: [],
    createdAt: at,
    updatedAt: at,
  };
}

describe('LargeBodyExchangeStore over the EXCHANGE object and R2', () => {
  it('stores a 3 MB envelope, which the object alone refuses, and reads it back byte for byte; its row holds only a reference', async () => {
    const { rpc, store, column } = aWorkerStore();
    const { message, change } = queueing(anEnvelopeOf(crypto.randomUUID(), 3 * MB));
    await expect(rpc.commit(change)).rejects.toThrow(/SQLITE_TOOBIG|too big/);

    const [signed] = await store.commit(change);
    expect(signed?.data).toMatchObject({ envelopeDigest: message.digest });
    expect((await store.getMessage(message.messageId))?.envelope).toBe(message.envelope);
    const row = await column('SELECT envelope FROM messages WHERE message_id = ?', message.messageId);
    expect(row.length).toBeLessThan(100);
    const stored = await env.BODIES.get(`sha256/${toHex(nodeSha256(new TextEncoder().encode(message.envelope)))}`);
    expect(stored?.size).toBe(new TextEncoder().encode(message.envelope).length);
  });

  it('keeps a small envelope (a 221 KB ePhyto) in its row, and nothing in R2', async () => {
    const { store, column } = aWorkerStore();
    const { message, change } = queueing(anEnvelopeOf(crypto.randomUUID(), 221_000));
    await store.commit(change);
    expect(await column('SELECT envelope FROM messages WHERE message_id = ?', message.messageId)).toBe(message.envelope);
    expect(await env.BODIES.head(`sha256/${toHex(nodeSha256(new TextEncoder().encode(message.envelope)))}`)).toBeNull();
  });

  it('stores a certificate whose document carries a 3 MB attachment, and reads the document back whole', async () => {
    const { store, column } = aWorkerStore();
    const certificate = anEphytoWithAttachment(crypto.randomUUID(), 3 * MB);
    await store.commit(new ChangeBuilder().insertCertificate(certificate).build());
    expect((await store.getCertificate(certificate.id))?.document).toEqual(certificate.document);
    const found = await store.findCertificates({ documentType: 'EPHYTO', direction: 'IN', referenceNumber: certificate.referenceNumber });
    expect(found.map((each) => each.document)).toEqual([certificate.document]);
    expect((await column('SELECT document FROM certificates WHERE id = ?', certificate.id)).length).toBeLessThan(100);
  });

  it('refuses a second commit of the same large message, and the first still reads back (its body stored once, by digest)', async () => {
    const { store } = aWorkerStore();
    const { message, change } = queueing(anEnvelopeOf(crypto.randomUUID(), 3 * MB));
    await store.commit(change);
    await expect(store.commit(change)).rejects.toMatchObject({ code: 'MESSAGE_ID_CONFLICT' });
    expect((await store.getMessage(message.messageId))?.envelope).toBe(message.envelope);
  });

  it('refuses a declaration too large for its row with PAYLOAD_TOO_LARGE, writing nothing, and takes one just under the limit', async () => {
    const { store, rpc } = aWorkerStore();
    const declared = (id: string, description: string) =>
      new ChangeBuilder()
        .insertDeclaration({
          id,
          declarationNumber: `N-${id}`,
          kind: 'EXPORT',
          partyId: '0301234567',
          status: 'UNDER_REVIEW',
          channel: 'YELLOW',
          channelReasons: [],
          partnerId: 'TH',
          document: { items: [{ description }] },
          createdAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        })
        .event({ type: 'DECLARATION_ACCEPTED', subject: id, at: new Date().toISOString(), data: {} }, { declarationId: id })
        .build();
    // Four UTF-8 bytes per character (two UTF-16 code units each): 0.5 M of them take 2 MB.
    const tooLarge = declared('d-large', '𝄞'.repeat(500_000));
    await expect(store.commit(tooLarge)).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(await rpc.getDeclaration('d-large')).toBeUndefined();
    await store.commit(declared('d-fits', '𝄞'.repeat(470_000)));
    expect((await rpc.getDeclaration('d-fits'))?.id).toBe('d-fits');
  });

  it('refuses to answer a body whose R2 object no longer has its digest', async () => {
    const { store } = aWorkerStore();
    const { message, change } = queueing(anEnvelopeOf(crypto.randomUUID(), 3 * MB));
    await store.commit(change);
    await env.BODIES.put(`sha256/${toHex(nodeSha256(new TextEncoder().encode(message.envelope)))}`, 'other bytes');
    await expect(store.getMessage(message.messageId)).rejects.toThrow(/no longer has its SHA-256/);
  });
});

// Every envelope and document leaves its row: what the exchange's callers see must not change.
describeExchangeStoreContract(
  'LargeBodyExchangeStore moving every body to R2',
  () => new LargeBodyExchangeStore(anExchangeStoreInObject(), new R2BodyStore(env.BODIES), nodeSha256, { largeBodyBytes: 0 }),
);
