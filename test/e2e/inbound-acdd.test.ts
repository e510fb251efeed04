import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import simulateSend from '../../src/cli/commands/simulate-send.js';
import { captureIo } from '../helpers/capture-io.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { asServiceUnderTest, startTestService } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * ACDDs received from partner gateways, sent as an operator would with `swx simulate send`: receipted, recorded as
 * routed to VN-CUSTOMS and listed for officers. On both runtimes (test/helpers/runtimes.ts).
 */

const examples = new URL('../../message-schemas/', import.meta.url).pathname;
const RICE_ACDD = `${examples}acdd/1/examples/valid-rice-from-thailand-no-agent.xml`;
const CLEARED = `${examples}customs-response/1/examples/valid-cleared.xml`;

interface Listed {
  messageId: string;
  direction: string;
  partner: string;
  documentType: string;
  ledgerIndex: number | null;
  routedTo: string | null;
  summary: Record<string, unknown> | null;
}

/** Sends `file` to swx as `partner` with `swx simulate send`, as an operator testing a partner would. */
async function send(swx: ServiceUnderTest, partner: string, type: string, file: string): Promise<{ code: number; messageId: string; out: string }> {
  const io = captureIo({ SWX_DATA_DIR: dirname(swx.pkiDir) });
  const code = await simulateSend.run(['--partner', partner, '--type', type, '--url', swx.url, file], io);
  return { code, out: io.out(), messageId: /^ {2}message id +(\S+)$/m.exec(io.out())?.[1] ?? '' };
}

/** The ledger entry a message's reception recorded, read from the database file. */
async function receptionEntry(swx: ServiceUnderTest, messageId: string): Promise<{ type: string; data: Record<string, unknown> }> {
  const [row] = await swx.query<{ json: string }>(
    'SELECT CAST(e.bytes AS TEXT) AS json FROM messages m JOIN ledger_entries e ON e.entry_index = m.ledger_index WHERE m.message_id = ?',
    messageId,
  );
  return JSON.parse(row?.json ?? '{}') as { type: string; data: Record<string, unknown> };
}

describe.each(RUNTIMES)('an ACDD from a partner gateway (pre-arrival information for Viet Nam customs), on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let officer: string;
  let fromTh: string;
  let fromSg: string;
  const list = async (query: string, token = officer) => {
    const response = await fetch(`${swx.url}/v1/messages?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: response.status, body: (await response.json()) as { items: Listed[]; nextCursor: string | null; code?: string } };
  };

  beforeAll(async () => {
    swx = await startServiceOn(runtime, { SWX_SIMULATORS: 'off' });
    officer = await swx.createKey('officer', 'VN-CUSTOMS');
    const th = await send(swx, 'TH', 'ACDD', RICE_ACDD);
    const response = await send(swx, 'TH', 'CUSTOMS_RESPONSE', CLEARED);
    const sg = await send(swx, 'SG', 'ACDD', RICE_ACDD);
    expect([th.code, response.code, sg.code]).toEqual([0, 0, 0]);
    fromTh = th.messageId;
    fromSg = sg.messageId;
  });
  afterAll(() => swx?.close());

  it('is receipted and recorded in the ledger as routed to VN-CUSTOMS, with what customs needs to know', async () => {
    const entry = await receptionEntry(swx, fromTh);
    expect(entry.type).toBe('DOCUMENT_RECEIVED');
    expect(entry.data).toMatchObject({
      documentType: 'ACDD',
      from: 'TH',
      routedTo: 'VN-CUSTOMS',
      summary: {
        exportDeclarationNumber: 'A0041691112345',
        exporter: 'Thai Hom Mali Rice Export Co., Ltd.',
        consignee: 'Công ty TNHH Thương mại Gạo Miền Bắc',
        departureDate: '2026-11-19',
        portOfDischarge: 'VNHPH',
        items: 1,
      },
    });
    expect((await receptionEntry(swx, fromSg)).data['routedTo']).toBe('VN-CUSTOMS');
  });

  it('is listed for officers among inbound ACDDs, newest first, with its routing and summary', async () => {
    const { status, body } = await list('direction=IN&documentType=ACDD');
    expect(status).toBe(200);
    expect(body.items.map((item) => [item.messageId, item.partner, item.routedTo])).toEqual([
      [fromSg, 'SG', 'VN-CUSTOMS'],
      [fromTh, 'TH', 'VN-CUSTOMS'],
    ]);
    expect(body.items[1]?.summary).toMatchObject({ portOfDischarge: 'VNHPH', consignee: 'Công ty TNHH Thương mại Gạo Miền Bắc' });
    expect(body.items[1]?.ledgerIndex).toBeTypeOf('number');
    expect(body.nextCursor).toBeNull();
  });

  it('pages through what was routed to VN-CUSTOMS with a cursor, leaving out the Customs Response', async () => {
    const first = await list('routedTo=VN-CUSTOMS&limit=1');
    expect(first.body.items.map((item) => item.messageId)).toEqual([fromSg]);
    const second = await list(`routedTo=VN-CUSTOMS&limit=1&cursor=${first.body.nextCursor ?? ''}`);
    expect(second.body.items.map((item) => item.messageId)).toEqual([fromTh]);
    expect(second.body.nextCursor).toBeNull();
    const responses = await list('direction=IN&documentType=CUSTOMS_RESPONSE');
    expect(responses.body.items.map((item) => [item.partner, item.routedTo])).toEqual([['TH', null]]);
  });

  it('is refused to traders (403) and answers a cursor it never gave with 400 CURSOR_INVALID', async () => {
    expect((await list('documentType=ACDD', await swx.createKey('trader', '0301234567'))).status).toBe(403);
    const bad = await list('documentType=ACDD&cursor=not-a-cursor');
    expect([bad.status, bad.body.code]).toEqual([400, 'CURSOR_INVALID']);
  });
});

// Node only: a partners directory of its own (the Worker's partners are bundled at build time).
describe.runIf(RUNTIMES.includes('node'))('an ACDD when no national agency receives ACDDs (Node)', () => {
  let swx: ServiceUnderTest;

  beforeAll(async () => {
    const customs = JSON.parse(readFileSync('partners/vn-customs.json', 'utf8')) as { documents: { send: unknown[]; receive: { type: string }[] } };
    const receive = customs.documents.receive.filter((entry) => entry.type !== 'ACDD');
    swx = asServiceUnderTest(
      await startTestService({
        SWX_SIMULATORS: 'off',
        SWX_PARTNERS_DIR: partnersDirWith({ 'VN-CUSTOMS': { documents: { ...customs.documents, receive } } }),
      }),
    );
  });
  afterAll(() => swx?.close());

  it('is refused with a signed DOCUMENT_TYPE_NOT_SUPPORTED receipt and not recorded as received', async () => {
    const { code, out } = await send(swx, 'TH', 'ACDD', RICE_ACDD);
    expect(code).toBe(1);
    expect(out).toMatch(/^ {2}error +DOCUMENT_TYPE_NOT_SUPPORTED: no national agency of VN receives ACDD$/m);
    expect((await swx.rowCounts()).messages).toBe(0);
  });
});
