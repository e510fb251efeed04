import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCheckpointKey } from '../../adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../adapters/crypto/node-sha256.js';
import { auditSqliteLedger } from '../../adapters/storage/sqlite-ledger-audit.js';
import { toBase64 } from '../../core/encoding.js';
import { DEFAULT_LEDGER_ORIGIN } from '../../core/ledger/checkpoint.js';
import { parseVerifierKey } from '../../core/ledger/signed-note.js';
import type { CliCommand, CliIo } from '../command.js';
import { dataDirFrom } from '../../config.js';
import { parseCommandLine } from '../parse-command-line.js';

const usage = `Usage: swx ledger verify [--data-dir <dir>] [--against <checkpoint file>] [--key <verifier key>]

Recomputes the exchange ledger in <dir>/swx.db (default: $SWX_DATA_DIR, else ./data) from its stored entries:
every leaf hash from the entry's bytes (and the index written inside them), every stored subtree hash and the
root at each stored checkpoint, whose Ed25519 signature is checked too. Exits 1 naming the first divergent entry
when rows were edited, deleted, inserted or reordered in the database file.

  --against <file>  a checkpoint (signed note) saved earlier, e.g. by a partner gateway from GET /v1/ledger/checkpoint:
                    the ledger must still contain that tree
  --key <vkey>      the checkpoint verifier key to trust (name+keyid+base64, as GET /v1/ledger/checkpoint lists it)
                    instead of the key in <dir>/ledger/checkpoint-ed25519.pem
The origin checked is $SWX_LEDGER_ORIGIN, else the key's name, else ${DEFAULT_LEDGER_ORIGIN}.`;

/**
 * `swx ledger verify`: the audit of design.md 3.5, for operators and auditors with the database file. Unlike the
 * other offline commands it does not open storage through runtime/node-storage.ts's `openStorage`: the audit only reads
 * (it must neither create nor migrate an auditor's copy of swx.db), its worker threads open the file read-only by path,
 * and loading compose.ts's adapters would multiply the command's start-up time.
 * @example swx ledger verify --data-dir /var/lib/swx --against ./partner-th-checkpoint.txt
 */
export const ledgerVerify: CliCommand = {
  name: 'ledger verify',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine(
      'swx ledger verify',
      argv,
      { options: { 'data-dir': { type: 'string' }, against: { type: 'string' }, key: { type: 'string' } }, allowPositionals: false },
      io,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    const dataDir = dataDirFrom(io.env, values['data-dir']);
    const file = join(dataDir, 'swx.db');
    if (!existsSync(file)) {
      io.stderr.write(`swx ledger verify: no database at ${file}\n`);
      return 2;
    }
    const trusted = values.key === undefined ? undefined : parseVerifierKey(nodeSha256, values.key);
    const origin = io.env['SWX_LEDGER_ORIGIN'] ?? trusted?.keyName ?? DEFAULT_LEDGER_ORIGIN;
    const publicKey = trusted ?? loadCheckpointKey(dataDir, origin, nodeSha256).publicKey;
    const against = values.against === undefined ? undefined : readFileSync(values.against, 'utf8');

    const progress = progressReporter(io);
    const report = await auditSqliteLedger(file, {
      publicKey,
      origin,
      ...(against === undefined ? {} : { against }),
      onProgress: progress.update,
    });
    progress.done();
    if (report.failure) {
      io.stderr.write(`swx ledger verify: divergence at entry ${report.failure.index}: ${report.failure.reason}\n`);
      return 1;
    }
    io.stdout.write(
      `ledger verified: ${report.treeSize} entries, root ${toBase64(report.rootHash)}, ` +
        `${report.checkpointsStored} signed checkpoint(s) checked` +
        (against === undefined ? '' : ', consistent with the given checkpoint') +
        '\n',
    );
    return 0;
  },
};

export default ledgerVerify;

// On a terminal: one redrawn bar with rate and ETA. Otherwise: a plain line every few seconds.
function progressReporter(io: CliIo): { update: (checked: number, total: number) => void; done: () => void } {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  const started = Date.now();
  let lastLine = started;
  let drawn = false;
  return {
    update(checked, total) {
      const now = Date.now();
      const seconds = Math.max((now - started) / 1000, 0.001);
      const rate = checked / seconds;
      if (tty) {
        const share = total === 0 ? 1 : Math.min(checked / total, 1);
        const width = 30;
        const filled = Math.round(share * width);
        const eta = rate > 0 ? Math.ceil((total - checked) / rate) : 0;
        io.stderr.write(
          `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(share * 100)}% ` +
            `${checked}/${total} entries  ${Math.round(rate)}/s  ETA ${eta}s `,
        );
        drawn = true;
      } else if (now - lastLine >= 2000) {
        io.stderr.write(`verified ${checked}/${total} entries (${Math.round(rate)}/s)\n`);
        lastLine = now;
      }
    },
    done() {
      if (drawn) io.stderr.write('\n');
    },
  };
}
