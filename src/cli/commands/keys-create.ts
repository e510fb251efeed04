import { dataDirFrom } from '../../config.js';
import { issueApiKey, NewApiKey, Role } from '../../core/auth/api-key.js';
import { nodePorts } from '../../runtime/compose.js';
import { openStorage } from '../../runtime/node-storage.js';
import { cliActor } from '../cli-actor.js';
import type { CliCommand } from '../command.js';
import { parseCommandLine } from '../parse-command-line.js';

const usage = `Usage: swx keys create --role <${Role.options.join('|')}> --name <name> --party <partyId> [--data-dir <dir>]

Creates an API key in <dir>/swx.db (default: $SWX_DATA_DIR, else ./data) without a running server,
and prints its id and token. The token is shown only this once: only its hash is stored. The ledger records
the creation (API_KEY_CREATED) and who created it (cli:<OS user>), as GET /v1/admin/api-keys shows (createdBy).

--party is in whose name the key acts, by role:
  trader   the enterprise's tax code, as on its declarations (exporter, importer or declaring agent)
  agency   the agency's id in partners/ (VN-CUSTOMS, VN-PPD, VN-DAH, VN-MOIT-CO)
  officer  the officer's staff number or unit code (HQ-0077), recorded with each of its decisions
  admin    who administers (VN-NSW-OPS), kept with the key
  partner  the partner gateway's id in partners/ (TH), for POST /v1/conformance`;

/**
 * `swx keys create`: the offline twin of `POST /v1/admin/api-keys` (design.md 3.2).
 * @example swx keys create --role trader --name "ACME Export" --party 0101234567
 */
const keysCreate: CliCommand = {
  name: 'keys create',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine(
      'swx keys create',
      argv,
      {
        options: { role: { type: 'string' }, name: { type: 'string' }, party: { type: 'string' }, 'data-dir': { type: 'string' } },
        allowPositionals: false,
      },
      io,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    const input = NewApiKey.safeParse({ role: values.role, name: values.name, partyId: values.party });
    if (!input.success) {
      const issue = input.error.issues[0];
      const option = issue?.path[0] === 'partyId' ? 'party' : String(issue?.path[0] ?? '');
      io.stderr.write(`swx keys create: --${option}: ${issue?.message ?? 'invalid'} (see swx keys create --help)\n`);
      return 2;
    }
    const ports = nodePorts();
    const storage = openStorage(dataDirFrom(io.env, values['data-dir']), ports);
    try {
      const { key, token } = await issueApiKey({ ...ports, apiKeys: storage.apiKeys }, input.data, cliActor(io.env));
      io.stdout.write(`id: ${key.id}\ntoken: ${token}\n`);
      io.stderr.write(`created ${key.role} key "${key.name}" for party ${key.partyId}; the token is not shown again\n`);
      return 0;
    } finally {
      storage.close();
    }
  },
};

export default keysCreate;
