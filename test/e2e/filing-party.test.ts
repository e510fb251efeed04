import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formDSpec } from '../../message-schemas/form-d/1/schema.js';
import { main } from '../../src/cli/main.js';
import { encodeDocumentXml } from '../../src/core/document/xml-mapping.js';
import { call, expectProblem } from '../helpers/api-client.js';
import { captureIo } from '../helpers/capture-io.js';
import { anExportDeclaration } from '../helpers/export-declarations.js';
import { aFormD, anImportCiting, WORKED_IMPORT } from '../helpers/import-preference.js';
import { partnerGateway } from '../helpers/partner-gateway.js';
import { RUNTIMES, startServiceOn } from '../helpers/runtimes.js';
import type { ServiceUnderTest } from '../helpers/service-under-test.js';

const EXPORTER = '0301234567';
const BROKER = '0312345678';
const IMPORTER = WORKED_IMPORT.importer.taxId;
const IMPOSTOR = '0999999999';
const COFFEE_XML = readFileSync(new URL('../../message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.xml', import.meta.url), 'utf8');

interface Mandate {
  id: string;
  agentPartyId: string;
  principalPartyId: string;
  validFrom: string;
  validTo: string | null;
  ledgerIndex: number;
  revokedAt: string | null;
  revokedLedgerIndex: number | null;
}

/**
 * Declarations filed in the name of the key's party, and customs brokers filing for their principals under mandates,
 * over real HTTP on both runtimes (test/helpers/runtimes.ts).
 */
describe.each(RUNTIMES)('filing parties and mandates, on %s', (runtime) => {
  let swx: ServiceUnderTest;
  let tokens: { importer: string; impostor: string; broker: string; admin: string };
  let serial = 0;

  beforeAll(async () => {
    swx = await startServiceOn(runtime);
    const [importer, impostor, broker] = await Promise.all([
      swx.createKey('trader', IMPORTER),
      swx.createKey('trader', IMPOSTOR),
      swx.createKey('trader', BROKER),
    ]);
    tokens = { importer, impostor, broker, admin: swx.adminToken };
  }, 60_000);
  afterAll(async () => swx?.close());

  /** The coffee export filed by the broker for the exporter (the example names both). */
  const brokersExport = () => anExportDeclaration({ channel: 'GREEN' });

  async function grant(body: Record<string, unknown>): Promise<Mandate> {
    const answer = await call<Mandate>(swx, tokens.admin, 'POST', '/v1/admin/mandates', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }

  interface Entry {
    index: number;
    type: string;
    subject: string;
    data: Record<string, unknown>;
  }

  const ledger = async (): Promise<Entry[]> =>
    (await swx.query<{ bytes: Uint8Array }>('SELECT bytes FROM ledger_entries ORDER BY entry_index')).map(
      (row) => JSON.parse(Buffer.from(row.bytes).toString('utf8')) as Entry,
    );
  const ledgerEntry = async (index: number) => (await ledger()).find((entry) => entry.index === index);

  /**
   * What a refused declaration must not have written: a declaration, a number, a message or an outbox row, or a ledger
   * entry naming the party. (The ledger itself keeps growing with the deliveries of earlier tests.)
   */
  async function writtenBy(party: string) {
    const { declarations, declaration_sequence, idempotency_keys, messages, outbox } = await swx.rowCounts();
    const entries = (await ledger()).filter((entry) => JSON.stringify(entry.data).includes(party)).length;
    return { declarations, declaration_sequence, idempotency_keys, messages, outbox, entries };
  }

  describe('a declaration is filed in the name of its key’s party (design.md 3.2)', () => {
    it('refuses an import naming another importer (403 naming /importer/taxId), writes nothing, and leaves the e-Form D to its importer', async () => {
      const reference = `TH-BIND-${process.pid}-${(serial += 1)}`;
      expect((await partnerGateway(swx, 'TH').send('FORM_D', encodeDocumentXml(formDSpec, aFormD(reference)))).status).toBe(200);
      const before = await writtenBy(IMPOSTOR);

      const stolen = expectProblem(await call(swx, tokens.impostor, 'POST', '/v1/declarations', anImportCiting(reference)), 403, 'FORBIDDEN');
      expect(stolen.errors).toEqual([{ pointer: '/importer/taxId', detail: expect.stringContaining(`party ${IMPOSTOR} may not file`) }]);
      expect(stolen.detail).toContain(`importer ${IMPORTER}`);
      expect(await writtenBy(IMPOSTOR)).toEqual(before);

      const own = await call<{ id: string; status: string }>(swx, tokens.importer, 'POST', '/v1/declarations', anImportCiting(reference));
      expect(own.status).toBe(202);
      expect(own.body.status).toBe('RELEASED');
      const view = await call<{ preference: { outcome: string } }>(swx, tokens.importer, 'GET', `/v1/declarations/${own.body.id}`);
      expect(view.body.preference.outcome).toBe('GRANTED');
    });

    it('refuses an export naming another exporter, as JSON and as XML, before a number is taken', async () => {
      const before = await writtenBy(IMPOSTOR);
      const json = expectProblem(await call(swx, tokens.impostor, 'POST', '/v1/declarations', anExportDeclaration()), 403, 'FORBIDDEN');
      expect(json.errors?.map((error) => error.pointer)).toEqual(['/exporter/taxId']);
      const xml = await fetch(`${swx.url}/v1/declarations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokens.impostor}`, 'Content-Type': 'application/xml' },
        body: COFFEE_XML,
      });
      expect(xml.status).toBe(403);
      expect(((await xml.json()) as { errors: { pointer: string }[] }).errors.map((error) => error.pointer)).toEqual(['/exporter/taxId']);
      expect(await writtenBy(IMPOSTOR)).toEqual(before);
    });
  });

  describe('mandates: a customs broker files for its principal', () => {
    it('refuses the broker without a mandate, accepts it once an admin granted one (recorded in the ledger), refuses it again once revoked', async () => {
      const refused = expectProblem(await call(swx, tokens.broker, 'POST', '/v1/declarations', brokersExport()), 403, 'FORBIDDEN');
      expect(refused.errors?.[0]?.pointer).toBe('/exporter/taxId');
      expect(refused.detail).toContain('holds no mandate');

      const mandate = await grant({ agentPartyId: BROKER, principalPartyId: EXPORTER });
      expect(mandate).toMatchObject({ agentPartyId: BROKER, principalPartyId: EXPORTER, validTo: null, revokedAt: null });
      expect(await ledgerEntry(mandate.ledgerIndex)).toMatchObject({
        type: 'MANDATE_GRANTED',
        subject: mandate.id,
        data: { agentPartyId: BROKER, principalPartyId: EXPORTER, grantedBy: expect.stringContaining('admin key') },
      });
      const listed = await call<{ items: Mandate[] }>(swx, tokens.admin, 'GET', '/v1/admin/mandates');
      expect(listed.body.items.map((item) => item.id)).toContain(mandate.id);

      expect((await call(swx, tokens.broker, 'POST', '/v1/declarations', brokersExport())).status).toBe(202);
      const { declaringAgent: _, ...withoutAgent } = brokersExport();
      const unnamed = expectProblem(await call(swx, tokens.broker, 'POST', '/v1/declarations', withoutAgent), 403, 'FORBIDDEN');
      expect(unnamed.errors?.[0]?.pointer).toBe('/declaringAgent');

      const revoked = await call<Mandate>(swx, tokens.admin, 'DELETE', `/v1/admin/mandates/${mandate.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).not.toBeNull();
      expect(await ledgerEntry(revoked.body.revokedLedgerIndex ?? -1)).toMatchObject({ type: 'MANDATE_REVOKED', subject: mandate.id });
      const after = expectProblem(await call(swx, tokens.broker, 'POST', '/v1/declarations', brokersExport()), 403, 'FORBIDDEN');
      expect(after.detail).toContain(`mandate ${mandate.id} was revoked at ${revoked.body.revokedAt}`);
    });

    it('refuses the broker under an expired mandate, or one limited to import declarations', async () => {
      const expired = await grant({ agentPartyId: BROKER, principalPartyId: EXPORTER, validFrom: '2020-01-01', validTo: '2020-12-31' });
      const late = expectProblem(await call(swx, tokens.broker, 'POST', '/v1/declarations', brokersExport()), 403, 'FORBIDDEN');
      expect(late.detail).toContain(`mandate ${expired.id} expired at the end of 2020-12-31`);
      const importsOnly = await grant({ agentPartyId: BROKER, principalPartyId: EXPORTER, documentTypes: ['IMPORT_DECLARATION'] });
      const wrongType = expectProblem(await call(swx, tokens.broker, 'POST', '/v1/declarations', brokersExport()), 403, 'FORBIDDEN');
      expect(wrongType.detail).toContain(`mandate ${importsOnly.id} covers IMPORT_DECLARATION only`);
    });

    it('refuses a mandate from a party to itself or ending before it starts (422), an unknown one (404), and non-admins (403)', async () => {
      const self = expectProblem(
        await call(swx, tokens.admin, 'POST', '/v1/admin/mandates', { agentPartyId: BROKER, principalPartyId: BROKER }),
        422,
        'VALIDATION_FAILED',
      );
      expect(self.errors?.map((error) => error.pointer)).toEqual(['/agentPartyId']);
      const backwards = { agentPartyId: BROKER, principalPartyId: EXPORTER, validFrom: '2026-06-01', validTo: '2026-05-31' };
      expect(
        expectProblem(await call(swx, tokens.admin, 'POST', '/v1/admin/mandates', backwards), 422, 'VALIDATION_FAILED').errors?.map((e) => e.pointer),
      ).toEqual(['/validTo']);
      expectProblem(await call(swx, tokens.admin, 'DELETE', '/v1/admin/mandates/no-such-mandate'), 404, 'NOT_FOUND');
      expectProblem(
        await call(swx, tokens.broker, 'POST', '/v1/admin/mandates', { agentPartyId: BROKER, principalPartyId: EXPORTER }),
        403,
        'FORBIDDEN',
      );
    });

    // Node only: the CLI works offline on the Node service's database file, which a Worker does not have.
    it.runIf(runtime === 'node')(
      'swx mandates grant works offline on the database, and the running service honours it; list and revoke too',
      async () => {
        const dataDir = dirname(swx.pkiDir); // the Node service's data dir, holding pki/ and swx.db
        const principal = '0109876543';
        const declaration = { ...brokersExport(), exporter: { ...brokersExport().exporter, taxId: principal } };
        expect((await call(swx, tokens.broker, 'POST', '/v1/declarations', declaration)).status).toBe(403);

        const granted = captureIo({ SWX_DATA_DIR: dataDir });
        expect(await main(['mandates', 'grant', '--agent', BROKER, '--principal', principal, '--until', '2099-12-31'], granted)).toBe(0);
        const id = granted.out().split(' ')[0] ?? '';
        expect(granted.out()).toContain(`agent ${BROKER}  principal ${principal}`);
        expect(granted.out()).toContain('until 2099-12-31');
        expect((await ledger()).filter((entry) => entry.subject === id)).toEqual([
          expect.objectContaining({
            type: 'MANDATE_GRANTED',
            data: expect.objectContaining({ agentPartyId: BROKER, principalPartyId: principal, validTo: '2099-12-31' }),
          }),
        ]);
        expect((await call(swx, tokens.broker, 'POST', '/v1/declarations', declaration)).status).toBe(202);

        const listed = captureIo({ SWX_DATA_DIR: dataDir });
        expect(await main(['mandates', 'list'], listed)).toBe(0);
        expect(listed.out()).toMatch(new RegExp(`^${id} .* active `, 'm'));

        const revoked = captureIo({ SWX_DATA_DIR: dataDir });
        expect(await main(['mandates', 'revoke', id], revoked)).toBe(0);
        expect(revoked.out()).toContain('revoked');
        expect((await call(swx, tokens.broker, 'POST', '/v1/declarations', declaration)).status).toBe(403);

        const bad = captureIo({ SWX_DATA_DIR: dataDir });
        expect(await main(['mandates', 'grant', '--agent', BROKER, '--principal', principal, '--until', '31/12/2026'], bad)).toBe(2);
        expect(bad.err()).toMatch(/^swx mandates grant: --until: expected an ISO 8601 date .*\n$/);
      },
    );
  });
});
