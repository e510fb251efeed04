import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkiInit from '../../src/cli/commands/pki-init.js';
import { captureIo } from '../helpers/capture-io.js';

const shipped = new URL('../../partners', import.meta.url).pathname;

describe('swx pki init', () => {
  let root: string;
  let partnersDir: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'swx-pki-init-'));
    partnersDir = join(root, 'partners');
    mkdirSync(partnersDir);
    for (const file of ['th.json', 'kr.json', 'vn-customs.json']) copyFileSync(join(shipped, file), join(partnersDir, file));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates roots, CRLs and gateway certificates for VN and every dev-pki gateway, and says so', async () => {
    const io = captureIo({ SWX_PARTNERS_DIR: partnersDir });
    const dataDir = join(root, 'data');
    expect(await pkiInit.run(['--data-dir', dataDir], io)).toBe(0);
    expect(io.out()).toMatch(/created root {4}VN {2}CN=VN Single Window Development Root CA, O=Viet Nam National Single Window, C=VN/);
    expect(io.out()).toMatch(/created gateway TH {2}CN=TH National Single Window Gateway, O=Thai Customs Department, C=TH/);
    expect(io.out()).toMatch(/6 created for 2 gateways in [0-9.]+ s\n$/);
    const gateway = new X509Certificate(readFileSync(join(dataDir, 'pki', 'gateways', 'VN.cert.pem')));
    expect(gateway.verify(new X509Certificate(readFileSync(join(dataDir, 'pki', 'VN', 'root.cert.pem'))).publicKey)).toBe(true);
    expect(statSync(join(dataDir, 'pki', 'gateways', 'TH.key.pem')).mode & 0o777).toBe(0o600);
  });

  it('uses SWX_DATA_DIR and creates nothing the second time', async () => {
    const env = { SWX_PARTNERS_DIR: partnersDir, SWX_DATA_DIR: join(root, 'env-data') };
    expect(await pkiInit.run([], captureIo(env))).toBe(0);
    const again = captureIo(env);
    expect(await pkiInit.run([], again)).toBe(0);
    expect(again.out()).toBe(`development PKI in ${join(root, 'env-data', 'pki')} is complete for 2 gateways: nothing to create\n`);
  });

  it('is a usage error with an unknown option or a bad SWX_GATEWAY_ID', async () => {
    const unknown = captureIo({ SWX_PARTNERS_DIR: partnersDir });
    expect(await pkiInit.run(['--force'], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/^swx pki init: Unknown option '--force'/);
    const badId = captureIo({ SWX_PARTNERS_DIR: partnersDir, SWX_GATEWAY_ID: 'vn' });
    expect(await pkiInit.run([], badId)).toBe(2);
    expect(badId.err()).toBe('swx pki init: invalid SWX_GATEWAY_ID="vn": must be an ISO 3166 alpha-2 code\n');
  });

  it('fails naming the file and field of a broken partner file', async () => {
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'th.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(shipped, 'th.json'), 'utf8')), state: 'open' }));
    await expect(pkiInit.run([], captureIo({ SWX_PARTNERS_DIR: broken, SWX_DATA_DIR: join(root, 'unused') }))).rejects.toThrow(/th\.json: \/state: /);
  });
});
