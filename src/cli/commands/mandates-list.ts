import type { CliCommand } from '../command.js';
import { dataDirFrom } from '../../config.js';
import { parseCommandLine } from '../parse-command-line.js';
import { formatMandate, openMandates } from './mandates-store.js';

const usage = `Usage: swx mandates list [--data-dir <dir>]

Lists the mandates in <dir>/swx.db (default: $SWX_DATA_DIR, else ./data), oldest first, one a line:
id, agent, principal, validity, declaration types, state (active, expired, not yet valid, revoked)
and the ledger index of the grant.`;

/**
 * `swx mandates list`: the offline twin of `GET /v1/admin/mandates`.
 * @example swx mandates list
 */
const mandatesList: CliCommand = {
  name: 'mandates list',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine('swx mandates list', argv, { options: { 'data-dir': { type: 'string' } }, allowPositionals: false }, io);
    if (!parsed) return 2;
    const opened = openMandates(dataDirFrom(io.env, parsed.values['data-dir']));
    try {
      const mandates = await opened.ports.mandates.list();
      const now = new Date();
      io.stdout.write(mandates.length === 0 ? 'no mandates\n' : mandates.map((mandate) => formatMandate(mandate, now)).join(''));
      return 0;
    } finally {
      opened.close();
    }
  },
};

export default mandatesList;
