import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formDSpec, type FormD } from '../../message-schemas/form-d/1/schema.js';
import { formDStatusSpec, type FormDStatus } from '../../message-schemas/form-d-status/1/schema.js';
import type { ImportDeclaration } from '../../message-schemas/import-declaration/1/schema.js';
import { readEnvelope } from '../../message-schemas/envelope/1/build.js';
import { readReceipt } from '../../message-schemas/receipt/1/build.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { decodeDocumentXml, encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { call } from '../helpers/api-client.js';
import { aFormD, anImportCiting, daysAgo, WORKED_FORM_D, WORKED_IMPORT } from '../helpers/import-preference.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import { waitFor } from '../helpers/service.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

/**
 * Imports under ATIGA preference over real HTTP: e-Form Ds sent by partner gateways, import declarations citing them,
 * and the FORM_D_STATUS swx sends back to the issuing country's simulator. On both runtimes (test/helpers/runtimes.ts).
 */

interface View {
  status: string;
  channel: string;
  channelReasons: { rule: string; detail: string }[];
  declarationNumber: string;
  preference: null | {
    outcome: string;
    reasons: string[];
    lines: { line: number; outcome: string; formDItemNumber?: number; reasons: string[] }[];
  };
  requirements: { requirement: string; state: string }[];
  documents: { messageId: string; direction: string; documentType: string; receipted: boolean }[];
  timeline: { type: string; ledgerIndex: number; detail: Record<string, unknown> }[];
}

interface Message {
  envelope: string;
  receipt: string | null;
}

const IMPORTER = WORKED_IMPORT.importer.taxId;

describe.each(RUNTIMES)('import under ATIGA preference (e-Form D), over HTTP with TH simulated, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let trader: string;
  let officer: string;
  let th: ReturnType<typeof partnerGateway>;
  let my: ReturnType<typeof partnerGateway>;
  let serial = 0;
  const reference = () => `TH-T-${process.pid}-${(serial += 1)}`;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    [trader, officer] = await Promise.all([swx.createKey('trader', IMPORTER), swx.createKey('officer', 'VN-CUSTOMS-HCM')]);
    th = partnerGateway(swx, 'TH');
    my = partnerGateway(swx, 'MY');
  }, 60_000);
  afterAll(async () => swx?.close());

  async function sendFormD(formD: FormD, from = th) {
    return from.send('FORM_D', encodeDocumentXml(formDSpec, formD));
  }

  async function submit(declaration: ImportDeclaration): Promise<{ id: string; status: string; channel: string }> {
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(declaration),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    return (await response.json()) as { id: string; status: string; channel: string };
  }

  async function view(id: string): Promise<View> {
    const response = await fetch(`${swx.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${trader}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as View;
  }

  /**
   * The FORM_D_STATUS swx sent for a declaration, once TH's simulator has receipted it, as TH read it: the envelope an
   * officer reads, and TH's receipt of exactly those bytes.
   */
  async function statusDeliveredToThailand(id: string): Promise<FormDStatus> {
    const settled = await waitFor(
      () => view(id),
      (v) => v.documents.some((d) => d.documentType === 'FORM_D_STATUS' && d.receipted),
    );
    const sent = settled.documents.find((d) => d.documentType === 'FORM_D_STATUS');
    expect(sent?.direction).toBe('OUT');
    const message = await call<Message>(swx, officer, 'GET', `/v1/messages/${sent?.messageId}`);
    expect(message.status).toBe(200);
    const receipt = readReceipt(parseXml(message.body.receipt ?? ''));
    expect(receipt).toMatchObject({
      messageId: sent?.messageId,
      from: { gatewayId: 'TH' },
      status: 'RECEIVED',
      envelopeDigest: createHash('sha256').update(message.body.envelope, 'utf8').digest('base64'),
    });
    const envelope = readEnvelope(parseXml(message.body.envelope));
    expect(envelope.header.to.gatewayId).toBe('TH');
    return decodeDocumentXml(formDStatusSpec, envelope.body) as FormDStatus;
  }

  it('grants the preference for every line when the e-Form D came first, releases a green declaration and tells Thailand it was utilised', async () => {
    const ref = reference();
    const delivery = await sendFormD(aFormD(ref));
    expect(delivery.status).toBe(200);
    expect(delivery.receipt.status).toBe('RECEIVED');

    const answer = await submit(anImportCiting(ref));
    expect(answer).toMatchObject({ status: 'RELEASED', channel: 'GREEN' });
    const seen = await view(answer.id);
    expect(seen.preference?.outcome).toBe('GRANTED');
    expect(seen.preference?.lines.map((line) => [line.outcome, line.formDItemNumber])).toEqual([
      ['GRANTED', 1],
      ['GRANTED', 2],
      ['GRANTED', 3],
    ]);
    expect(seen.requirements).toEqual([expect.objectContaining({ requirement: 'form-d-preference', state: 'MET' })]);
    const types = seen.timeline.map((step) => step.type);
    expect(types.indexOf('PREFERENCE_DECIDED')).toBeGreaterThan(types.indexOf('DECLARATION_ACCEPTED'));
    expect(types.at(-1)).toBe('STATUS_CHANGED');

    const status = await statusDeliveredToThailand(answer.id);
    expect(status).toMatchObject({
      formDReference: ref,
      issuingCountry: 'TH',
      importingCountry: 'VN',
      importDeclarationNumber: seen.declarationNumber,
      status: 'UTILISED',
    });
    expect(status.items.map((item) => item.utilisedQuantity)).toEqual(WORKED_IMPORT.items.map((item) => item.quantity));
  });

  it('waits in AWAITING_DOCUMENTS when the declaration comes first, and decides when the e-Form D arrives', async () => {
    const ref = reference();
    const answer = await submit(anImportCiting(ref));
    expect(answer.status).toBe('AWAITING_DOCUMENTS');
    expect((await view(answer.id)).requirements).toEqual([expect.objectContaining({ state: 'AWAITED' })]);

    const delivery = await sendFormD(aFormD(ref));
    expect(delivery.receipt.status).toBe('RECEIVED');
    const settled = await view(answer.id);
    expect(settled).toMatchObject({ status: 'RELEASED', channel: 'GREEN' });
    expect(settled.preference?.outcome).toBe('GRANTED');
    expect(settled.documents.map((d) => d.documentType)).toContain('FORM_D');
    expect((await statusDeliveredToThailand(answer.id)).status).toBe('UTILISED');
  });

  it('partly grants: a line above the certified quantity is denied with its reason, the rest granted, and the declaration goes yellow', async () => {
    const ref = reference();
    await sendFormD(aFormD(ref));
    const items = WORKED_IMPORT.items.map((item, index) => (index === 1 ? { ...item, quantity: 1500 } : item));
    const answer = await submit(anImportCiting(ref, { items }));
    expect(answer).toMatchObject({ status: 'UNDER_REVIEW', channel: 'YELLOW' });
    const seen = await view(answer.id);
    expect(seen.preference?.outcome).toBe('PARTLY_GRANTED');
    expect(seen.preference?.lines.map((line) => line.outcome)).toEqual(['GRANTED', 'DENIED', 'GRANTED']);
    expect(seen.preference?.lines[1]?.reasons).toEqual(['quantity above the certificate: 1500 H87 declared, 1200 H87 certified on item 2']);
    expect(seen.channelReasons.map((reason) => reason.rule)).toContain('preference-partly-granted');
    const status = await statusDeliveredToThailand(answer.id);
    expect(status.status).toBe('PARTLY_UTILISED');
    expect(status.items[1]).toMatchObject({ outcome: 'DENIED', formDItemNumber: 2 });
  });

  describe('denies the preference, with the reason, and tells Thailand it was not accepted', () => {
    const cases: { name: string; formD?: (ref: string) => FormD; declaration?: (ref: string) => ImportDeclaration; reason: RegExp }[] = [
      {
        name: 'another exporter',
        formD: (ref) => aFormD(ref, { exporter: { ...WORKED_FORM_D.exporter, name: 'Bangkok Brake Industries Co., Ltd.' } }),
        reason: /^exporter: declared "Chao Phraya Auto Parts Co\., Ltd\." \(TH\), the e-Form D names "Bangkok Brake Industries Co\., Ltd\." \(TH\)$/,
      },
      {
        name: 'another consignee',
        formD: (ref) => aFormD(ref, { consignee: { ...WORKED_FORM_D.consignee, name: 'Công ty TNHH Ô tô Đà Nẵng' } }),
        reason: /^consignee: the importer is "Công ty TNHH Phụ tùng Ô tô Hải Phòng", the e-Form D's consignee is "Công ty TNHH Ô tô Đà Nẵng" \(VN\)$/,
      },
      {
        name: 'HS codes the e-Form D does not cover',
        declaration: (ref) => anImportCiting(ref, { items: WORKED_IMPORT.items.map((item) => ({ ...item, hsCode: '84151010' })) }),
        reason: /^HS mismatch: no e-Form D item under HS 841510 \(items are under 870830, 870891, 400931\)$/,
      },
      {
        name: 'an expired e-Form D',
        formD: (ref) => aFormD(ref, { issueDate: daysAgo(400) }),
        reason: /^expired: issued \d{4}-\d\d-\d\d, valid until \d{4}-\d\d-\d\d; the declaration was lodged on \d{4}-\d\d-\d\d$/,
      },
    ];
    for (const example of cases) {
      it(`for ${example.name}`, async () => {
        const ref = reference();
        expect((await sendFormD(example.formD?.(ref) ?? aFormD(ref))).receipt.status).toBe('RECEIVED');
        const answer = await submit(example.declaration?.(ref) ?? anImportCiting(ref));
        expect(answer).toMatchObject({ status: 'UNDER_REVIEW', channel: 'YELLOW' });
        const seen = await view(answer.id);
        expect(seen.preference?.outcome).toBe('DENIED');
        expect(seen.preference?.lines.every((line) => line.outcome === 'DENIED' && line.reasons.some((reason) => example.reason.test(reason)))).toBe(
          true,
        );
        expect(seen.channelReasons.map((reason) => reason.rule)).toContain('preference-denied');
        const status = await statusDeliveredToThailand(answer.id);
        expect(status.status).toBe('NOT_ACCEPTED');
        expect(status.reason).toMatch(new RegExp(example.reason.source.replace(/\$$/, '')));
      });
    }

    it('for quantities already utilised by an earlier declaration', async () => {
      const ref = reference();
      await sendFormD(aFormD(ref));
      const first = await submit(anImportCiting(ref));
      expect(first.status).toBe('RELEASED');
      const second = await submit(anImportCiting(ref, { items: WORKED_IMPORT.items.slice(0, 1).map((item) => ({ ...item, quantity: 10 })) }));
      const seen = await view(second.id);
      expect(seen.preference?.outcome).toBe('DENIED');
      expect(seen.preference?.lines[0]?.reasons[0]).toMatch(
        new RegExp(
          `^already utilised: 8000 of 8000 SET on item 1 used by declaration ${(await view(first.id)).declarationNumber}; 0 SET remain, 10 declared$`,
        ),
      );
      expect((await statusDeliveredToThailand(second.id)).status).toBe('NOT_ACCEPTED');
    });

    it('for an e-Form D issued in another country than the one cited', async () => {
      const ref = reference();
      const fromMalaysia = aFormD(ref, { issuingCountry: 'MY', exporter: { ...WORKED_FORM_D.exporter, country: 'MY' } });
      expect((await sendFormD(fromMalaysia, my)).receipt.status).toBe('RECEIVED');
      const answer = await submit(anImportCiting(ref));
      const seen = await view(answer.id);
      expect(seen.preference?.outcome).toBe('DENIED');
      expect(seen.preference?.reasons).toContain(`issuing country: the declaration cites an e-Form D issued in TH; ${ref} was issued in MY`);
    });
  });

  it('never leaves a declaration waiting when it and its e-Form D arrive at the same moment', async () => {
    const refs = Array.from({ length: 8 }, () => reference());
    const answers = await Promise.all(refs.map(async (ref) => (await Promise.all([submit(anImportCiting(ref)), sendFormD(aFormD(ref))]))[0]));
    for (const answer of answers) {
      const settled = await waitFor(
        () => view(answer.id),
        (v) => v.status !== 'AWAITING_DOCUMENTS',
        5_000,
      );
      expect(settled.preference?.outcome).toBe('GRANTED');
      expect(settled.timeline.filter((step) => step.type === 'PREFERENCE_DECIDED')).toHaveLength(1);
    }
  });

  it('refuses an e-Form D for another importing country, or issued elsewhere than by the sending gateway, with a signed 422 receipt', async () => {
    const forMalaysia = await sendFormD(aFormD(reference(), { importingCountry: 'MY', consignee: { ...WORKED_FORM_D.consignee, country: 'MY' } }));
    expect(forMalaysia.status).toBe(422);
    expect(forMalaysia.receipt.errors[0]?.message).toMatch(/importingCountry: this gateway receives e-Form Ds for VN, not MY/);
    const notThai = await sendFormD(aFormD(reference(), { issuingCountry: 'MY' }));
    expect(notThai.status).toBe(422);
    expect(notThai.receipt.errors[0]?.message).toMatch(/issuingCountry/);
  });

  it('accepts the import declaration as XML too', async () => {
    const ref = reference();
    await sendFormD(aFormD(ref));
    const { importDeclarationSpec } = await import('../../message-schemas/import-declaration/1/schema.js');
    const response = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/xml' },
      body: encodeDocumentXml(importDeclarationSpec, anImportCiting(ref)),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'RELEASED', channel: 'GREEN' });
  });
});
