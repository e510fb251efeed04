import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnvelope } from '../../message-schemas/envelope/1/build.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../src/adapters/crypto/xmldsig-verifier.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import { copyTestPki } from '../helpers/test-pki.js';

/**
 * The commands the documentation gives, run exactly as written: partners/README.md's template and `xmlsec1 --sign`
 * command make an envelope swx accepts; its `xmlsec1 --verify` command and README.md's print a clean OK.
 */

const guide = readFileSync(new URL('../../partners/README.md', import.meta.url), 'utf8');
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function fenced(markdown: string, language: string, containing: string): string {
  const block = [...markdown.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))]
    .map((match) => match[1] ?? '')
    .find((text) => text.includes(containing));
  if (block === undefined) throw new Error(`no ${language} block with ${containing}`);
  return block;
}

function inlineCommand(markdown: string, start: string): string {
  const command = new RegExp(`\`(${start}[^\`]*)\``).exec(markdown)?.[1];
  if (command === undefined) throw new Error(`no inline command ${start}`);
  return command;
}

/** A directory laid out as the documentation assumes: the development PKI under data/pki. */
function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'swx-guide-'));
  copyTestPki(join(dir, 'data'));
  return dir;
}

function run(command: string, cwd: string): { status: number | null; output: string } {
  const result = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function signedByVn(cwd: string, xml: string): string {
  const pki = join(cwd, 'data', 'pki', 'gateways');
  return new XmlDsigSigner(readFileSync(join(pki, 'VN.key.pem'), 'utf8'), readFileSync(join(pki, 'VN.cert.pem'), 'utf8')).signSync(xml);
}

describe('the partner signing guide (partners/README.md)', () => {
  it('its template signed by its xmlsec1 --sign command is an envelope swx verifies as TH’s', () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'envelope.xml'), fenced(guide, 'xml', '<env:Envelope'));
    const command = fenced(guide, 'sh', 'xmlsec1 --sign').trim();
    const signing = run(command, cwd);
    expect(signing.output).toBe('');
    expect(signing.status).toBe(0);
    const signed = readFileSync(join(cwd, 'envelope.signed.xml'), 'utf8');
    const result = new XmlDsigVerifier().verify(signed, readFileSync(join(cwd, 'data/pki/gateways/TH.cert.pem'), 'utf8'));
    expect(result.checks.filter((check) => check.status !== 'VALID')).toEqual([]);
    expect(readEnvelope(parseXml(result.signedXml ?? '')).header).toMatchObject({ documentType: 'CUSTOMS_RESPONSE', from: { gatewayId: 'TH' } });
  });

  it('its xmlsec1 --verify command prints a clean OK for a receipt signed by VN', () => {
    const cwd = workDir();
    copyFileSync(join(cwd, 'data/pki/VN/root.cert.pem'), join(cwd, 'VN-root.cert.pem'));
    copyFileSync(join(cwd, 'data/pki/gateways/VN.cert.pem'), join(cwd, 'VN.cert.pem'));
    writeFileSync(join(cwd, 'receipt.xml'), signedByVn(cwd, '<Receipt xmlns="urn:swx:xsd:receipt:1"><ReceiptId>r-1</ReceiptId></Receipt>'));
    const verifying = run(inlineCommand(guide, 'xmlsec1 --verify'), cwd);
    expect(verifying.output).toMatch(/^OK\n/);
    expect(verifying.output).not.toMatch(/error/i);
    expect(verifying.status).toBe(0);
  });
});

describe('README.md', () => {
  it('its xmlsec1 --verify command prints a clean OK for an envelope signed by VN', () => {
    const cwd = workDir();
    writeFileSync(join(cwd, 'envelope.xml'), signedByVn(cwd, '<Envelope xmlns="urn:swx:xsd:envelope:1"><Header></Header><Body></Body></Envelope>'));
    const verifying = run(inlineCommand(readme, 'xmlsec1 --verify'), cwd);
    expect(verifying.output).toMatch(/^OK\n/);
    expect(verifying.output).not.toMatch(/error/i);
  });
});
