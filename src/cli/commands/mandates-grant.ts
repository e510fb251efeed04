import { isCoreError } from '../../core/errors.js';
import { grantMandate } from '../../core/mandate/grant-mandate.js';
import { NewMandate } from '../../core/mandate/mandate.js';
import type { CliCommand } from '../command.js';
import { dataDirFrom } from '../../config.js';
import { parseCommandLine } from '../parse-command-line.js';
import { CLI_ACTOR, formatMandate, openMandates } from './mandates-store.js';

const usage = `Usage: swx mandates grant --agent <partyId> --principal <partyId> [--from DATE] [--until DATE]
                         [--type EXPORT_DECLARATION|IMPORT_DECLARATION ...] [--data-dir <dir>]

Grants a mandate in <dir>/swx.db (default: $SWX_DATA_DIR, else ./data) without a running server: the agent
(a customs broker) may then file declarations naming the principal as exporter or importer and itself as
declaring agent. DATE is YYYY-MM-DD (--until: through its end, UTC) or a date-time with offset; by default
from now until revoked, for export and import declarations. The grant is recorded in the ledger
(MANDATE_GRANTED). A running swx honours it at once.`;

/** The command line's options, named as NewMandate's fields. */
const FIELD_OPTIONS: Readonly<Record<string, string>> = {
  agentPartyId: 'agent',
  principalPartyId: 'principal',
  validFrom: 'from',
  validTo: 'until',
  documentTypes: 'type',
};

/**
 * `swx mandates grant`: the offline twin of `POST /v1/admin/mandates` (design.md 3.2).
 * @example swx mandates grant --agent 0312345678 --principal 0301234567 --until 2026-12-31
 */
const mandatesGrant: CliCommand = {
  name: 'mandates grant',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine(
      'swx mandates grant',
      argv,
      {
        options: {
          agent: { type: 'string' },
          principal: { type: 'string' },
          from: { type: 'string' },
          until: { type: 'string' },
          type: { type: 'string', multiple: true },
          'data-dir': { type: 'string' },
        },
        allowPositionals: false,
      },
      io,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    const input = NewMandate.safeParse({
      agentPartyId: values.agent,
      principalPartyId: values.principal,
      ...(values.from === undefined ? {} : { validFrom: values.from }),
      ...(values.until === undefined ? {} : { validTo: values.until }),
      ...(values.type === undefined ? {} : { documentTypes: values.type.map((type) => type.toUpperCase()) }),
    });
    if (!input.success) {
      const issue = input.error.issues[0];
      const option = FIELD_OPTIONS[String(issue?.path[0] ?? '')] ?? String(issue?.path[0] ?? '');
      io.stderr.write(`swx mandates grant: --${option}: ${issue?.message ?? 'invalid'} (see swx mandates grant --help)\n`);
      return 2;
    }
    const opened = openMandates(dataDirFrom(io.env, values['data-dir']));
    try {
      const mandate = await grantMandate(opened.ports, input.data, CLI_ACTOR);
      io.stdout.write(formatMandate(mandate, new Date()));
      io.stderr.write(`granted: ${mandate.agentPartyId} may file for ${mandate.principalPartyId} (ledger entry ${mandate.ledgerIndex})\n`);
      return 0;
    } catch (error) {
      if (!isCoreError(error)) throw error;
      io.stderr.write(`swx mandates grant: ${error.issues[0]?.detail ?? error.message}\n`);
      return 1;
    } finally {
      opened.close();
    }
  },
};

export default mandatesGrant;
