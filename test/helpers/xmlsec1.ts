import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scratch = mkdtempSync(join(tmpdir(), 'swx-xmlsec1-'));
let files = 0;

function scratchFile(content: string): string {
  files += 1;
  const path = join(scratch, `${files}.xml`);
  writeFileSync(path, content);
  return path;
}

/**
 * Verifies a signed document with the real libxmlsec1 (`xmlsec1 --verify`), trusting only `certificatePath`
 * (self-signed, so it is also its own trust anchor) and allowing only the same-document reference URI="", or
 * also `#id` references when `idAttribute` says which attribute is an Id (`['Id', 'urn:swx:xsd:envelope:1:Envelope']`).
 * @example expect(xmlsec1Verify(signed, credential.certificatePath).ok).toBe(true)
 */
export function xmlsec1Verify(
  xml: string,
  certificatePath: string,
  idAttribute?: readonly [attribute: string, element: string],
): { ok: boolean; message: string } {
  const ids =
    idAttribute === undefined
      ? ['--enabled-reference-uris', 'empty']
      : ['--enabled-reference-uris', 'empty,same-doc', `--id-attr:${idAttribute[0]}`, idAttribute[1]];
  const run = spawnSync('xmlsec1', ['--verify', ...ids, '--trusted-pem', certificatePath, '--pubkey-cert-pem', certificatePath, scratchFile(xml)], {
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  return { ok: run.status === 0, message: `${run.stdout}${run.stderr}`.trim() };
}

/**
 * Signs a template (a document whose last root child is an empty ds:Signature) with `xmlsec1 --sign`,
 * which fills DigestValue, SignatureValue and the X509Certificate of KeyInfo. `options` go before the key
 * (`['--id-attr:Id', 'urn:swx:xsd:envelope:1:Body']` to sign a reference to an Id).
 * @example const signed = xmlsec1Sign(template, credential.keyPath, credential.certificatePath)
 */
export function xmlsec1Sign(template: string, keyPath: string, certificatePath: string, options: readonly string[] = []): string {
  const output = join(scratch, `signed-${files + 1}.xml`);
  const run = spawnSync(
    'xmlsec1',
    ['--sign', ...options, '--privkey-pem', `${keyPath},${certificatePath}`, '--output', output, scratchFile(template)],
    {
      encoding: 'utf8',
    },
  );
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`xmlsec1 --sign failed: ${run.stderr}`);
  return readFileSync(output, 'utf8');
}
