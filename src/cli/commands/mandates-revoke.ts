import { isCoreError } from '../../core/errors.js';
import { revokeMandate } from '../../core/mandate/grant-mandate.js';
import type { CliCommand } from '../command.js';
import { dataDirFrom } from '../../config.js';
import { parseCommandLine } from '../parse-command-line.js';
import { CLI_ACTOR, formatMandate, openMandates } from './mandates-store.js';

const usage = `Usage: swx mandates revoke <id> [--data-dir <dir>]

Revokes a mandate in <dir>/swx.db (default: $SWX_DATA_DIR, else ./data): its agent may no longer file in the
principal's name; declarations already filed stay. Recorded in the ledger (MANDATE_REVOKED); revoking again
changes nothing.`;

/**
 * `swx mandates revoke`: the offline twin of `DELETE /v1/admin/mandates/{id}`.
 * @example swx mandates revoke 6f1c…
 */
const mandatesRevoke: CliCommand = {
  name: 'mandates revoke',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine('swx mandates revoke', argv, { options: { 'data-dir': { type: 'string' } }, allowPositionals: true }, io);
    if (!parsed) return 2;
    const [id, ...extra] = parsed.positionals;
    if (id === undefined || extra.length > 0) {
      io.stderr.write('swx mandates revoke: give exactly one mandate id (see swx mandates revoke --help)\n');
      return 2;
    }
    const opened = openMandates(dataDirFrom(io.env, parsed.values['data-dir']));
    try {
      const mandate = await revokeMandate(opened.ports, id, CLI_ACTOR);
      io.stdout.write(formatMandate(mandate, new Date()));
      return 0;
    } catch (error) {
      if (!isCoreError(error)) throw error;
      io.stderr.write(`swx mandates revoke: ${error.message}\n`);
      return 1;
    } finally {
      opened.close();
    }
  },
};

export default mandatesRevoke;
