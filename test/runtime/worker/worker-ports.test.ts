import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { Console } from 'node:console';
import { Hono } from 'hono';
import { describe, expect, inject, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { CHECKPOINT_KEY_FILE, createEd25519NoteVerifier, loadCheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import { readSwaggerUiAsset } from '../../../src/adapters/docs/swagger-ui-dist-assets.js';
import { loadPartnerDirectory } from '../../../src/adapters/partners/partner-directory.js';
import { partnersDirFrom } from '../../../src/config.js';
import { openNote, signNote } from '../../../src/core/ledger/signed-note.js';
import { buildWorkerBundle } from '../../../src/runtime/build/worker-bundle-file.js';
import { createWorkerPorts, type WorkerPortsEnv } from '../../../src/runtime/worker/worker-ports.js';
import { thrownCoreError } from '../../helpers/core-error.js';
import { anEnvelope } from '../../helpers/envelope-builder.js';
import { xmlsec1Verify } from '../../helpers/xmlsec1.js';

const pkiDir = inject('testPkiDir');
const layout = devPkiLayout(pkiDir);
const bundle = JSON.parse(JSON.stringify(buildWorkerBundle({ partnersDir: partnersDirFrom({}), pkiDir, channelRulesFile: undefined }))) as unknown;
const swaggerUiDist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** Cloudflare's static assets binding over the directory wrangler.toml gives it (node_modules/swagger-ui-dist). */
const assets: WorkerPortsEnv['ASSETS'] = {
  fetch: async (request) => {
    try {
      return new Response(readFileSync(join(swaggerUiDist, new URL(request.url).pathname)));
    } catch {
      return new Response(null, { status: 404 });
    }
  },
};

const checkpointKeyPem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

/** The Worker's env as wrangler gives it: bindings, the secrets, and vars. */
function anEnv(vars: Record<string, unknown> = {}): WorkerPortsEnv {
  return {
    ASSETS: assets,
    DB: { prepare: () => undefined },
    SWX_SIGNING_KEY: readFileSync(layout.gatewayKey('VN'), 'utf8'),
    SWX_SIGNING_CERTIFICATE: readFileSync(layout.gatewayCertificate('VN'), 'utf8'),
    SWX_CHECKPOINT_KEY: checkpointKeyPem,
    SWX_ADMIN_TOKEN: 'a-bootstrap-admin-token-of-enough-length',
    ...vars,
  } as WorkerPortsEnv;
}

/** A console whose lines are kept, as Workers Logs would keep them. */
function aConsole(): { console: Console; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return {
    console: new Console(stream, stream),
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createWorkerPorts', () => {
  it('signs envelopes as the gateway: the Node verifier and xmlsec1 accept them with the certificate partners pin', async () => {
    const ports = createWorkerPorts(anEnv(), bundle, 'bundle.json');
    const envelope = anEnvelope()
      .from('VN')
      .to('TH')
      .carrying('ACDD')
      .unsigned('<CustomsResponse xmlns="urn:swx:xsd:customs-response:1"><Status>CLEARED</Status></CustomsResponse>');

    const signed = await ports.signer.sign(envelope);

    expect(new XmlDsigVerifier().verify(signed, readFileSync(layout.gatewayCertificate('VN'), 'utf8')).outcome).toBe('VALID');
    expect(xmlsec1Verify(signed, layout.gatewayCertificate('VN')).ok).toBe(true);
    expect(xmlsec1Verify(signed.replace('CLEARED', 'CLEAREE'), layout.gatewayCertificate('VN')).ok).toBe(false);
    expect(ports.signatures.verify(signed, ports.signer.certificatePem).outcome).toBe('VALID');
  });

  it('refuses a signing certificate that is not the signing key’s', () => {
    const env = anEnv({ SWX_SIGNING_CERTIFICATE: readFileSync(layout.gatewayCertificate('TH'), 'utf8') });
    expect(thrownCoreError(() => createWorkerPorts(env, bundle, 'bundle.json')).code).toBe('CONFIG_INVALID');
  });

  it('reads the SWX_* variables with the Node service’s names and defaults, whatever their type in wrangler.toml', () => {
    const defaults = createWorkerPorts(anEnv(), bundle, 'bundle.json');
    expect(defaults.self).toEqual({ gatewayId: 'VN', country: 'VN' });
    expect(defaults.http).toEqual({ bodyLimitBytes: 5 * 1024 * 1024 });
    expect(defaults.windowSeconds).toBe(900);

    const set = createWorkerPorts(anEnv({ SWX_BODY_LIMIT_BYTES: 1000, SWX_ENVELOPE_WINDOW_SECONDS: '60' }), bundle, 'bundle.json');
    expect(set.http.bodyLimitBytes).toBe(1000);
    expect(set.windowSeconds).toBe(60);
  });

  it('refuses a bad variable in one line naming it, and a bad or missing secret without its value', () => {
    expect(() => createWorkerPorts(anEnv({ SWX_GATEWAY_ID: 'Viet Nam' }), bundle, 'bundle.json')).toThrow(
      'invalid SWX_GATEWAY_ID="Viet Nam": must be an ISO 3166 alpha-2 code',
    );
    expect(() => createWorkerPorts(anEnv({ SWX_CHECKPOINT_KEY: undefined }), bundle, 'bundle.json')).toThrow(/^invalid SWX_CHECKPOINT_KEY: missing/);
    let message = '';
    try {
      createWorkerPorts(anEnv({ SWX_ADMIN_TOKEN: 'short-but-secret' }), bundle, 'bundle.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('invalid SWX_ADMIN_TOKEN: must be at least 32 characters');
  });

  it('serves the public half of the checkpoint key the Node service derives from the same PEM, and signs notes it verifies', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'swx-worker-ports-'));
    mkdirSync(join(dataDir, 'ledger'));
    writeFileSync(join(dataDir, CHECKPOINT_KEY_FILE), checkpointKeyPem);
    const node = loadCheckpointKey(dataDir, 'swx.test/ledger', nodeSha256);

    const ports = createWorkerPorts(anEnv({ SWX_LEDGER_ORIGIN: 'swx.test/ledger' }), bundle, 'bundle.json');

    expect(ports.checkpointKey).toEqual(node.publicKey);
    const note = signNote('swx.test/ledger\n1\nq6Q6nq0BL6UwArg+9xXA6MlFuOJwHkOPxQU1EbUFgIQ=\n', ports.checkpoint.signer);
    expect(openNote(note, [createEd25519NoteVerifier(node.publicKey)])).toContain('swx.test/ledger');
  });

  it('gives the partners directory the Node service loads from the same files', () => {
    const ports = createWorkerPorts(anEnv(), bundle, 'bundle.json');
    const loaded = loadPartnerDirectory(partnersDirFrom({}), { pkiDir });
    expect(ports.partners.list()).toEqual(loaded.list());
    expect(ports.partners.trustFor('SG')).toEqual(loaded.trustFor('SG'));
  });

  it('parses XML within the SWX_XML_* limits', () => {
    const ports = createWorkerPorts(anEnv({ SWX_XML_MAX_DEPTH: '3' }), bundle, 'bundle.json');
    expect(ports.parseXml('<a><b>1</b></a>')).toBeDefined();
    expect(thrownCoreError(() => ports.parseXml('<a><b><c><d>1</d></c></b></a>')).code).toBe('XML_FORBIDDEN_CONSTRUCT');
  });

  it('reads the Swagger UI files through the ASSETS binding, byte for byte as the Node service serves them, and no other file', async () => {
    const ports = createWorkerPorts(anEnv(), bundle, 'bundle.json');
    for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
      expect(Buffer.from((await ports.docsAssets(file))!).equals(Buffer.from((await readSwaggerUiAsset(file))!))).toBe(true);
    }
    expect(await ports.docsAssets('package.json')).toBeUndefined();
    expect(await ports.docsAssets('index.html')).toBeUndefined();
  });

  it('takes the client’s address from CF-Connecting-IP', async () => {
    const ports = createWorkerPorts(anEnv(), bundle, 'bundle.json');
    const app = new Hono().get('/', (c) => c.text(ports.clientAddress?.(c) ?? 'unknown'));
    expect(await (await app.request('/', { headers: { 'CF-Connecting-IP': '203.0.113.7' } })).text()).toBe('203.0.113.7');
    expect(await (await app.request('/')).text()).toBe('unknown');
  });

  it('counts a refusal in /metrics and logs it as one JSON line at warn, except rate-limited ones, which are only counted', async () => {
    const { console, lines } = aConsole();
    const ports = createWorkerPorts(anEnv({ SWX_LOG_LEVEL: 'info' }), bundle, 'bundle.json', { console });
    const refusal = {
      code: 'SIGNATURE_INVALID',
      reason: 'the signature does not verify',
      from: 'TH',
      authenticated: false,
      recorded: false,
      envelopeDigest: 'ab'.repeat(32),
      envelopeBytes: 1234,
      address: '203.0.113.7',
    } as const;

    ports.onRefused?.(refusal);
    ports.onRefused?.({ ...refusal, code: 'RATE_LIMITED' });

    const metrics = await ports.metrics.render();
    expect(metrics).toMatch(/^swx_exchange_refused_total\{code="SIGNATURE_INVALID",recorded="false",isolate="[0-9a-f-]{36}"\} 1$/m);
    expect(metrics).toMatch(/^swx_exchange_refused_total\{code="RATE_LIMITED",recorded="false",isolate="[0-9a-f-]{36}"\} 1$/m);
    expect(lines()).toEqual([expect.objectContaining({ level: 40, msg: 'envelope refused', code: 'SIGNATURE_INVALID', address: '203.0.113.7' })]);
  });
});
