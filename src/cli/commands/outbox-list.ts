import type { OutboxState } from '../../core/exchange/exchange-store.js';
import type { CliCommand } from '../command.js';
import { dataDirFrom } from '../../config.js';
import { openExchangeStore } from '../open-exchange-store.js';
import { parseCommandLine } from '../parse-command-line.js';

const STATES: readonly OutboxState[] = ['PENDING', 'DELIVERED', 'REJECTED', 'DEAD_LETTER'];

const usage = `Usage: swx outbox list [--state ${STATES.join('|')}] [--partner <id>] [--limit N] [--data-dir <dir>]

Lists outbox messages in one state (default DEAD_LETTER), oldest first, with their attempts and last error.`;

/**
 * `swx outbox list`: what is waiting, delivered or dead-lettered.
 * @example swx outbox list --partner TH
 */
const outboxList: CliCommand = {
  name: 'outbox list',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine(
      'swx outbox list',
      argv,
      { options: { state: { type: 'string' }, partner: { type: 'string' }, limit: { type: 'string' }, 'data-dir': { type: 'string' } } },
      io,
    );
    if (!parsed) return 2;
    const { values } = parsed;
    const state = (values.state ?? 'DEAD_LETTER').toUpperCase() as OutboxState;
    if (!STATES.includes(state)) {
      io.stderr.write(`swx outbox list: --state must be one of ${STATES.join(', ')}\n`);
      return 2;
    }
    const limit = Number(values.limit ?? '100');
    if (!Number.isInteger(limit) || limit < 1) {
      io.stderr.write('swx outbox list: --limit must be a positive whole number\n');
      return 2;
    }
    const dataDir = dataDirFrom(io.env, values['data-dir']);
    const opened = openExchangeStore(dataDir);
    if (!opened) {
      io.stderr.write(`swx outbox list: no database in ${dataDir} (start swx once, or give --data-dir)\n`);
      return 1;
    }
    try {
      const items = await opened.store.listOutbox({ state, limit, ...(values.partner === undefined ? {} : { partnerId: values.partner }) });
      if (items.length === 0) {
        io.stdout.write(`no ${state} messages\n`);
        return 0;
      }
      for (const item of items) {
        io.stdout.write(
          `${item.messageId}  ${item.partnerId}  ${item.state}  attempts=${item.attempts}${item.lastError ? `  ${item.lastError}` : ''}\n`,
        );
      }
      return 0;
    } finally {
      opened.close();
    }
  },
};
export default outboxList;
