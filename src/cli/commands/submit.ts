import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { CliCommand } from '../command.js';
import { callApi, describeRefusal, serviceTarget } from '../http-client.js';
import { parseCommandLine } from '../parse-command-line.js';

const usage = `Usage: swx submit <file.json|file.xml> [--token T] [--url U] [--idempotency-key K]

Submits a declaration to a running swx, as JSON or XML by the file's extension, with a trader's API key
(--token, else $SWX_TOKEN). The service is --url, else $SWX_URL, else http://127.0.0.1:$PORT (8080).
Prints the declaration id, number, status, channel and ledger index.`;

/**
 * `swx submit`: a declaration from a file.
 * @example swx submit message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json --token $TRADER
 */
const submit: CliCommand = {
  name: 'submit',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine(
      'swx submit',
      argv,
      { options: { token: { type: 'string' }, url: { type: 'string' }, 'idempotency-key': { type: 'string' } }, allowPositionals: true },
      io,
    );
    if (!parsed) return 2;
    const [file, ...extra] = parsed.positionals;
    if (file === undefined || extra.length > 0) {
      io.stderr.write('swx submit: give exactly one declaration file (see swx submit --help)\n');
      return 2;
    }
    const extension = extname(file).toLowerCase();
    if (extension !== '.json' && extension !== '.xml') {
      io.stderr.write(`swx submit: ${file}: expected a .json or .xml file\n`);
      return 2;
    }
    let data;
    try {
      data = readFileSync(file);
    } catch (error) {
      io.stderr.write(`swx submit: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 1;
    }
    const target = serviceTarget(io.env, parsed.values);
    const key = parsed.values['idempotency-key'];
    try {
      const answer = await callApi(target, 'POST', '/v1/declarations', {
        contentType: extension === '.json' ? 'application/json' : 'application/xml',
        data,
        ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
      });
      if (answer.status !== 202) {
        io.stderr.write(`swx submit: ${describeRefusal(answer, target)}\n`);
        return 1;
      }
      const accepted = answer.body as { id: string; declarationNumber: string; status: string; channel: string; ledgerIndex: number };
      io.stdout.write(
        `id:                 ${accepted.id}\n` +
          `declaration number: ${accepted.declarationNumber}\n` +
          `status:             ${accepted.status}\n` +
          `channel:            ${accepted.channel}\n` +
          `ledger index:       ${accepted.ledgerIndex}\n`,
      );
      return 0;
    } catch (error) {
      io.stderr.write(`swx submit: ${(error as Error).message}\n`);
      return 1;
    }
  },
};
export default submit;
