import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../../src/adapters/crypto/xmldsig-signer.js';
import { loadPartnerDirectory } from '../../../src/adapters/partners/partner-directory.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { SqliteMandateStore } from '../../../src/adapters/storage/sqlite-mandate-store.js';
import { partnersDirFrom } from '../../../src/config.js';
import { commitWithRetry } from '../../../src/core/exchange/commit-with-retry.js';
import { reassessAfterCertificate } from '../../../src/core/import-assessment/reassess-after-certificate.js';
import { ChannelRules } from '../../../src/core/clearance/channel-rules.js';
import defaultChannelRules from '../../../src/core/clearance/default-channel-rules.json' with { type: 'json' };
import { submitImportDeclaration } from '../../../src/core/declaration/submit-import-declaration.js';
import type { ExchangeChange, ExchangeStore } from '../../../src/core/exchange/exchange-store.js';
import { aFormD, aReceivedFormD, anImportCiting } from '../../helpers/import-preference.js';
import { copyTestPki } from '../../helpers/test-pki.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';

let dir: string;
let db: SqliteDatabase;
let store: SqliteExchangeStore;
let deps: Parameters<typeof submitImportDeclaration>[0];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'swx-guards-'));
  const layout = devPkiLayout(copyTestPki(dir));
  db = openDatabase(join(dir, 'swx.db'));
  const clock = { now: () => new Date() };
  store = new SqliteExchangeStore(db, new SqliteLedgerStore(db, { sha256: nodeSha256, clock }));
  deps = {
    store,
    partners: loadPartnerDirectory(partnersDirFrom({}), { pkiDir: layout.dir }),
    signer: new XmlDsigSigner(readFileSync(layout.gatewayKey('VN'), 'utf8'), readFileSync(layout.gatewayCertificate('VN'), 'utf8')),
    clock,
    ids: { uuid: () => randomUUID() },
    sha256: nodeSha256,
    rules: ChannelRules.parse(defaultChannelRules),
    self: { gatewayId: 'VN', country: 'VN' },
    mandates: new SqliteMandateStore(db, store),
  };
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store, whose first commit waits until `open` is called: the other side reads and commits meanwhile. */
function gatedStore(): { store: ExchangeStore; reached: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  let arrive: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  let first = true;
  const commit = async (change: ExchangeChange) => {
    if (first) {
      first = false;
      arrive();
      await gate;
    }
    return store.commit(change);
  };
  const gated = new Proxy(store, {
    get: (target, property) => {
      if (property === 'commit') return commit;
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as ExchangeStore;
  return { store: gated, reached, open };
}

function submission(reference: string) {
  const body = new TextEncoder().encode(JSON.stringify(anImportCiting(reference)));
  return { partyId: '0201234567', document: anImportCiting(reference), mediaType: 'application/json' as const, body, idempotencyKey: undefined };
}

describe('document guards: a declaration and its e-Form D decided at the same time', () => {
  it('makes the declaration that read before the e-Form D was committed assess again, and see it', async () => {
    const gate = gatedStore();
    const submitted = submitImportDeclaration({ ...deps, store: gate.store }, submission('RACE-1'));
    await gate.reached;
    const { declarationIds, change } = await reassessAfterCertificate(deps, aReceivedFormD(aFormD('RACE-1')), { stored: false });
    expect(declarationIds).toEqual([]);
    await store.commit(change);
    gate.open();
    const answer = await submitted;
    expect(answer.status).toBe('RELEASED');
    expect((await store.getAssessment(answer.id))?.preference?.outcome).toBe('GRANTED');
  });

  it('makes the e-Form D that read before the declaration was committed fail its commit, and rebuilt, settle the declaration', async () => {
    const gate = gatedStore();
    const certificate = aReceivedFormD(aFormD('RACE-2'));
    const build = async () => (await reassessAfterCertificate({ ...deps, store: gate.store }, certificate, { stored: false })).change;
    const received = commitWithRetry(gate.store, build);
    await gate.reached;
    const answer = await submitImportDeclaration(deps, submission('RACE-2'));
    expect(answer.status).toBe('AWAITING_DOCUMENTS');
    gate.open();
    await received;
    expect((await store.getDeclaration(answer.id))?.status).toBe('RELEASED');
    expect((await store.getAssessment(answer.id))?.preference?.outcome).toBe('GRANTED');
  });

  it('refuses a commit whose guard moved since it was read, writing nothing of it', async () => {
    const guard = [{ key: 'FORM_D|X', expectedVersion: 0 }];
    await store.commit(new ChangeBuilder().guard(guard).build());
    await expect(
      store.commit(
        new ChangeBuilder()
          .guard(guard)
          .insertCertificate(aReceivedFormD(aFormD('X')))
          .build(),
      ),
    ).rejects.toMatchObject({
      code: 'DOCUMENT_STATE_CONFLICT',
    });
    expect(await store.findCertificates({ documentType: 'FORM_D', direction: 'IN', referenceNumber: 'X' })).toEqual([]);
    expect((await store.guardVersions(['FORM_D|X'])).get('FORM_D|X')).toBe(1);
  });
});
