import { redriveDeadLetters } from '../../core/delivery/redrive-dead-letters.js';
import { isCoreError } from '../../core/errors.js';
import type { CliCommand } from '../command.js';
import { dataDirFrom } from '../../config.js';
import { openExchangeStore } from '../open-exchange-store.js';
import { parseCommandLine } from '../parse-command-line.js';

const usage = `Usage: swx outbox redrive [--partner <id>] [--data-dir <dir>] [<messageId> ...]

Puts dead-lettered messages back in the outbox with a fresh retry budget: the given message ids, or every dead
letter of --partner, or all dead letters. The same message id and bytes are sent again, so a partner that did
receive one answers with its original receipt. Works with the service running or stopped; a running service
delivers them at its next poll. See them first with \`swx outbox list\`.`;

/**
 * `swx outbox redrive`: the offline twin of `POST /v1/admin/outbox/redrive`.
 * @example swx outbox redrive --partner TH
 */
const outboxRedrive: CliCommand = {
  name: 'outbox redrive',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine(
      'swx outbox redrive',
      argv,
      { options: { partner: { type: 'string' }, 'data-dir': { type: 'string' } }, allowPositionals: true },
      io,
    );
    if (!parsed) return 2;
    const dataDir = dataDirFrom(io.env, parsed.values['data-dir']);
    const opened = openExchangeStore(dataDir);
    if (!opened) {
      io.stderr.write(`swx outbox redrive: no database in ${dataDir} (start swx once, or give --data-dir)\n`);
      return 1;
    }
    try {
      const { partner } = parsed.values;
      const { redriven } = await redriveDeadLetters(
        { store: opened.store, clock: { now: () => new Date() } },
        { ...(parsed.positionals.length > 0 ? { messageIds: parsed.positionals } : {}), ...(partner === undefined ? {} : { partnerId: partner }) },
      );
      io.stdout.write(
        redriven.length === 0
          ? 'no dead letters to re-drive\n'
          : `${redriven.map((id) => `re-queued ${id}\n`).join('')}${redriven.length} message(s) re-queued\n`,
      );
      return 0;
    } catch (error) {
      if (!isCoreError(error)) throw error;
      io.stderr.write(`swx outbox redrive: ${error.message}\n`);
      return 1;
    } finally {
      opened.close();
    }
  },
};
export default outboxRedrive;
