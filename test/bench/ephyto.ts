/**
 * `npm run bench:ephyto`: a 221 KB ePhyto with a PDF attachment (message-schemas/ephyto/1/examples/
 * valid-with-pdf-attachment.xml) received from Indonesia's gateway (design.md §4: handled in under 20 ms). Prints,
 * for one core, the median and 95th percentile of each step on the envelope, then of the whole reception
 * (receiveEnvelope over SQLite on disk, stored as the service stores it: WAL checkpoints on a worker thread, each commit
 * synced off the calling thread before it is answered; parse, verify, validate, route, record with its ledger
 * entries, receipt).
 * Prints figures; asserts nothing. BENCH_EPHYTO_COUNT (default 200) envelopes.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvelope } from '../../message-schemas/envelope/1/build.js';
import { ephytoCodec } from '../../message-schemas/ephyto/1/schema.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { loadOrCreateCheckpointKey } from '../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { ForgeCertificateVerifier } from '../../src/adapters/crypto/forge-certificate-verifier.js';
import { devPkiPartiesFor, ensureDevPki } from '../../src/adapters/crypto/forge-dev-pki.js';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { loadPartnerDirectory, readPartnerFiles } from '../../src/adapters/partners/partner-directory.js';
import { startBackgroundCheckpoints } from '../../src/adapters/storage/sqlite-background-checkpoints.js';
import { openDatabase } from '../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import { SqliteWalSync } from '../../src/adapters/storage/sqlite-wal-sync.js';
import { canonicalizeDocument } from '../../src/adapters/xml/exclusive-c14n.js';
import { parseXmlTree } from '../../src/adapters/xml/parse-xml-tree.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { partnersDirFrom } from '../../src/config.js';
import { ChannelRules } from '../../src/core/clearance/channel-rules.js';
import defaultChannelRules from '../../src/core/clearance/default-channel-rules.json' with { type: 'json' };
import { receiveEnvelope } from '../../src/core/exchange/receive-envelope.js';
import type { ReceiveDeps } from '../../src/core/exchange/reception.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../src/core/ledger/checkpoint.js';
import { CheckpointPublisher } from '../../src/runtime/checkpoint-publisher.js';
import { anEnvelope } from '../helpers/envelope-builder.js';

const COUNT = Number(process.env['BENCH_EPHYTO_COUNT'] ?? 200);
const EXAMPLE = 'message-schemas/ephyto/1/examples/valid-with-pdf-attachment.xml';

const dataDir = mkdtempSync(join(tmpdir(), 'swx-bench-ephyto-'));
try {
  const pkiDir = join(dataDir, 'pki');
  await ensureDevPki(pkiDir, devPkiPartiesFor(readPartnerFiles(partnersDirFrom({})), 'VN'));
  const layout = devPkiLayout(pkiDir);
  const partnerSigner = new XmlDsigSigner(readFileSync(layout.gatewayKey('ID'), 'utf8'), readFileSync(layout.gatewayCertificate('ID'), 'utf8'));
  const partnerCertificate = readFileSync(layout.gatewayCertificate('ID'), 'utf8');
  const db = openDatabase(join(dataDir, 'swx.db'));
  const walCheckpoints = startBackgroundCheckpoints(db);
  const wal = new SqliteWalSync(db);
  const clock = { now: () => new Date() };
  const ledger = new SqliteLedgerStore(db, { sha256: nodeSha256, clock });
  const checkpointKey = loadOrCreateCheckpointKey(dataDir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
  const checkpoints = new CheckpointPublisher({ store: ledger, sha256: nodeSha256, signer: checkpointKey.signer, origin: DEFAULT_LEDGER_ORIGIN });
  const verifier = new XmlDsigVerifier();
  const deps: ReceiveDeps = {
    store: new SqliteExchangeStore(db, ledger, () => checkpoints.notify(), wal),
    partners: loadPartnerDirectory(partnersDirFrom({}), { pkiDir }),
    signer: new XmlDsigSigner(readFileSync(layout.gatewayKey('VN'), 'utf8'), readFileSync(layout.gatewayCertificate('VN'), 'utf8')),
    signatures: verifier,
    certificates: new ForgeCertificateVerifier(),
    parseXml,
    clock,
    ids: { uuid: () => randomUUID() },
    sha256: nodeSha256,
    self: { gatewayId: 'VN', country: 'VN' },
    windowSeconds: 3600,
    checkpoints,
    rules: ChannelRules.parse(defaultChannelRules),
  };

  // As the partner writes it (prefixes, line-wrapped base64), canonicalized only so that it can be signed as it is.
  const source = readFileSync(EXAMPLE, 'utf8');
  const envelopes = Array.from({ length: COUNT + 1 }, (_, index) => {
    const body = canonicalizeDocument(parseXmlTree(source.replaceAll('ID-EPHYTO-2026-000502', `ID-EPHYTO-2026-B${String(index).padStart(5, '0')}`)));
    return anEnvelope().from('ID').carrying('EPHYTO').signedBy(partnerSigner, body);
  });
  const [first] = envelopes;
  if (first === undefined) throw new Error('no envelope');

  const time = (run: (envelope: string) => unknown, inputs: readonly string[]): number[] =>
    inputs.map((envelope) => {
      const start = performance.now();
      run(envelope);
      return performance.now() - start;
    });
  const line = (name: string, samples: readonly number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    console.log(`${name.padEnd(52)} median ${at(0.5).toFixed(2).padStart(6)} ms   p95 ${at(0.95).toFixed(2).padStart(6)} ms`);
  };

  const repeated = Array.from({ length: COUNT }, () => first);
  for (let warm = 0; warm < 20; warm += 1) ephytoCodec.read(readEnvelope(parseXml(verifier.verify(first, partnerCertificate).signedXml ?? '')).body);
  console.log(
    `ePhyto envelope: ${Buffer.byteLength(first)} bytes (${Buffer.byteLength(source)} bytes as the example file); ${COUNT} samples, one core`,
  );
  line(
    'parse (hardened XML codec)',
    time((envelope) => parseXml(envelope), repeated),
  );
  line(
    'verify the envelope signature (ID pinned certificate)',
    time((envelope) => verifier.verify(envelope, partnerCertificate), repeated),
  );
  const signed = verifier.verify(first, partnerCertificate).signedXml ?? '';
  line(
    'validate (envelope, SPSCertificate reader, zod)',
    time(
      (xml) => ephytoCodec.read(readEnvelope(parseXml(xml)).body),
      Array.from({ length: COUNT }, () => signed),
    ),
  );

  const receptions: number[] = [];
  for (const envelope of envelopes.slice(1)) {
    const start = performance.now();
    const answer = await receiveEnvelope(deps, envelope);
    receptions.push(performance.now() - start);
    if (!answer.accepted) throw new Error(`the ePhyto was refused: ${answer.code}`);
  }
  line('whole reception: parse, verify, validate, route, record', receptions);
  await checkpoints.stop();
  await walCheckpoints.stop();
  wal.close();
  db.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
