import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { devPkiPartiesFor, ensureDevPki } from '../../src/adapters/crypto/forge-dev-pki.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { loadPartnerDirectory, readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { MemoryExchangeStore } from '../../src/adapters/storage/memory-exchange-store.js';
import { partnersDirFrom } from '../../src/config.js';
import { ChannelRules } from '../../src/core/clearance/channel-rules.js';
import defaultChannelRules from '../../src/core/clearance/default-channel-rules.json' with { type: 'json' };
import type { MandateStore } from '../../src/core/mandate/mandate.js';
import type { PartnerDirectory } from '../../src/core/partner.js';

/** The partner files the use-case tests need: VN's agencies and the TH and ID gateways. */
const PARTNER_FILES = ['vn-customs.json', 'vn-dah.json', 'vn-moit-co.json', 'vn-ppd.json', 'th.json', 'id.json'];

/** No mandates at all: every test declaration is filed by its own exporter or importer. */
const noMandates: MandateStore = {
  grant: () => Promise.reject(new Error('no mandates in these tests')),
  revoke: () => Promise.resolve(false),
  get: () => Promise.resolve(undefined),
  list: () => Promise.resolve([]),
  listBetween: () => Promise.resolve([]),
};

/** The use cases' dependencies on the in-memory store, with real partner files, keys and signatures. */
export interface CoreFixture {
  readonly deps: {
    readonly store: MemoryExchangeStore;
    readonly partners: PartnerDirectory;
    readonly signer: XmlDsigSigner;
    readonly clock: { now(): Date };
    readonly ids: { uuid(): string };
    readonly sha256: typeof nodeSha256;
    readonly rules: ChannelRules;
    readonly self: { readonly gatewayId: 'VN'; readonly country: 'VN' };
    readonly mandates: MandateStore;
  };
  /** A partner gateway's own signer (its development key), to sign what it sends. */
  signerOf(gatewayId: 'TH' | 'ID'): XmlDsigSigner;
  /** A fresh in-memory store with the same partners and keys. */
  withFreshStore(): CoreFixture['deps'];
  remove(): void;
}

/**
 * Makes a development PKI for VN, TH and ID in a temp dir (once per test file: it takes about a second) and the deps
 * every use case takes, on MemoryExchangeStore.
 * @example const fixture = await coreFixture(); const answer = await submitDeclaration(fixture.deps, submission)
 */
export async function coreFixture(): Promise<CoreFixture> {
  const root = mkdtempSync(join(tmpdir(), 'swx-core-'));
  const partnersDir = join(root, 'partners');
  mkdirSync(partnersDir);
  for (const file of PARTNER_FILES) cpSync(join(partnersDirFrom({}), file), join(partnersDir, file));
  const layout = devPkiLayout(join(root, 'pki'));
  await ensureDevPki(layout.dir, devPkiPartiesFor(readPartnerFiles(partnersDir), 'VN'));
  const signerOf = (id: string) =>
    new XmlDsigSigner(readFileSync(layout.gatewayKey(id), 'utf8'), readFileSync(layout.gatewayCertificate(id), 'utf8'));
  const partners = loadPartnerDirectory(partnersDir, { pkiDir: layout.dir });
  const signer = signerOf('VN');
  const withFreshStore = (): CoreFixture['deps'] => ({
    store: new MemoryExchangeStore(nodeSha256),
    partners,
    signer,
    clock: { now: () => new Date() },
    ids: { uuid: () => randomUUID() },
    sha256: nodeSha256,
    rules: ChannelRules.parse(defaultChannelRules),
    self: { gatewayId: 'VN', country: 'VN' },
    mandates: noMandates,
  });
  return { deps: withFreshStore(), signerOf, withFreshStore, remove: () => rmSync(root, { recursive: true, force: true }) };
}
