import { devPkiDir } from '../../adapters/crypto/dev-pki-layout.js';
import { devPkiPartiesFor, ensureDevPki } from '../../adapters/crypto/forge-dev-pki.js';
import { readPartnerFiles } from '../../adapters/partners/partner-directory.js';
import type { CliCommand } from '../command.js';
import { dataDirFrom, partnersDirFrom } from '../../config.js';
import { parseCommandLine } from '../parse-command-line.js';

const usage = `Usage: swx pki init [--data-dir <dir>]

Creates the development PKI in <dir>/pki (default: $SWX_DATA_DIR, else ./data): a root CA and a CRL per
country, and an RSA-2048 key and certificate for swx's own gateway ($SWX_GATEWAY_ID, default VN) and for
every partner gateway whose file in $SWX_PARTNERS_DIR (default: the repository's partners/) says
"trust": { "source": "dev-pki" }. What exists is kept, so running it again only adds what is missing.`;

/**
 * `swx pki init` (design.md 3.7): the development PKI the service also creates on first start.
 * @example swx pki init --data-dir /var/lib/swx
 */
const pkiInit: CliCommand = {
  name: 'pki init',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine('swx pki init', argv, { options: { 'data-dir': { type: 'string' } }, allowPositionals: false }, io);
    if (!parsed) return 2;
    const { values } = parsed;
    const gatewayId = io.env['SWX_GATEWAY_ID'] ?? 'VN';
    if (!/^[A-Z]{2}$/.test(gatewayId)) {
      io.stderr.write(`swx pki init: invalid SWX_GATEWAY_ID=${JSON.stringify(gatewayId)}: must be an ISO 3166 alpha-2 code\n`);
      return 2;
    }
    const pkiDir = devPkiDir(dataDirFrom(io.env, values['data-dir']));
    const parties = devPkiPartiesFor(readPartnerFiles(partnersDirFrom(io.env)), gatewayId);
    const started = performance.now();
    const changes = await ensureDevPki(pkiDir, parties);
    const seconds = ((performance.now() - started) / 1_000).toFixed(1);
    if (changes.length === 0) {
      io.stdout.write(`development PKI in ${pkiDir} is complete for ${parties.length} gateways: nothing to create\n`);
      return 0;
    }
    const idWidth = Math.max(...changes.map((change) => change.id.length));
    for (const change of changes) {
      const subject = change.kind === 'crl' ? 'revocation list' : change.subject;
      io.stdout.write(`created ${change.kind.padEnd(7)} ${change.id.padEnd(idWidth)}  ${subject}  ${change.path}\n`);
    }
    io.stdout.write(`development PKI in ${pkiDir}: ${changes.length} created for ${parties.length} gateways in ${seconds} s\n`);
    return 0;
  },
};

export default pkiInit;
