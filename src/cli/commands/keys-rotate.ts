import { devPkiDir } from '../../adapters/crypto/dev-pki-layout.js';
import { rotateDevGatewayKey } from '../../adapters/crypto/rotate-dev-gateway-key.js';
import { dataDirFrom } from '../../config.js';
import { nodePorts } from '../../runtime/compose.js';
import { openStorage } from '../../runtime/node-storage.js';
import { cliActor } from '../cli-actor.js';
import type { CliCommand } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const usage = `Usage: swx keys rotate [--data-dir <dir>]

Rotates swx's document-signing key (envelopes, receipts) in the development PKI under <dir>/pki (default:
$SWX_DATA_DIR, else ./data): a new RSA-2048 key and 2-year certificate from the country root of
$SWX_GATEWAY_ID (default VN) take the place of the old ones, which are kept in pki/gateways/retired/ with the
rotation's date, so what was signed before stays verifiable with the old certificate. The ledger records a
KEY_ROTATED entry with both certificates' SHA-256 fingerprints and who rotated (cli:<OS user>).

A running swx signs with the key it read at start: restart it (its simulated partners then trust the new
certificate too). Partner gateways must pin the new certificate: send them the file printed.`;

/**
 * `swx keys rotate`: a new signing key and certificate for swx's gateway, the old ones kept, the rotation in the ledger.
 * @example swx keys rotate --data-dir /var/lib/swx
 */
const keysRotate: CliCommand = {
  name: 'keys rotate',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine('swx keys rotate', argv, { options: { 'data-dir': { type: 'string' } }, allowPositionals: false }, io);
    if (!parsed) return 2;
    const gatewayId = io.env['SWX_GATEWAY_ID'] ?? 'VN';
    if (!/^[A-Z]{2}$/.test(gatewayId)) {
      io.stderr.write(`swx keys rotate: invalid SWX_GATEWAY_ID=${JSON.stringify(gatewayId)}: must be an ISO 3166 alpha-2 code\n`);
      return 2;
    }
    const dataDir = dataDirFrom(io.env, parsed.values['data-dir']);
    const ports = nodePorts();
    const storage = openStorage(dataDir, ports);
    try {
      const { retired, current } = await rotateDevGatewayKey(devPkiDir(dataDir), { id: gatewayId, country: gatewayId }, ports.clock);
      const by = cliActor(io.env);
      const [entry] = await storage.ledger.append([
        {
          type: 'KEY_ROTATED',
          subject: `signing-key:${gatewayId}`,
          at: ports.clock.now().toISOString(),
          data: {
            gatewayId,
            oldFingerprint: retired.fingerprint,
            oldSerialNumber: retired.serialNumber,
            newFingerprint: current.fingerprint,
            newSerialNumber: current.serialNumber,
            newNotAfter: current.notAfter,
            by,
          },
        },
      ]);
      io.stdout.write(
        [
          `rotated ${gatewayId}'s signing key (ledger entry ${entry?.index ?? '?'}, KEY_ROTATED, by ${by})`,
          `new certificate: ${current.certificatePath}`,
          `  SHA-256 ${current.fingerprint}, serial ${current.serialNumber}, valid until ${current.notAfter}`,
          `old certificate and key kept: ${retired.certificatePath} ${retired.keyPath}`,
          `  SHA-256 ${retired.fingerprint}: verify what was signed before the rotation with it`,
          `partners: each partner gateway must pin the new certificate for ${gatewayId} (send them ${current.certificatePath});`,
          '  the root is unchanged. swx signs with the new key once restarted, and its simulated partners trust it then.',
          '',
        ].join('\n'),
      );
      return 0;
    } finally {
      storage.close();
    }
  },
};

export default keysRotate;
