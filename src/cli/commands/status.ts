import type { CliCommand } from '../command.js';
import { callApi, describeRefusal, serviceTarget } from '../http-client.js';
import { parseCommandLine } from '../parse-command-line.js';

const usage = `Usage: swx status <declaration id> [--token T] [--url U] [--json]

Shows a declaration's status, channel, linked documents and timeline (each step with its ledger index),
with a trader's or officer's API key (--token, else $SWX_TOKEN).`;

interface View {
  id: string;
  declarationNumber: string;
  status: string;
  channel: string;
  channelReasons: { rule: string; detail: string }[];
  partner: string | null;
  timeline: { ledgerIndex: number; type: string; at: string; messageId?: string }[];
}

/**
 * `swx status`: where a declaration stands.
 * @example swx status 9b2f… --token $TRADER
 */
const status: CliCommand = {
  name: 'status',
  usage,
  async run(argv, io) {
    const parsed = parseCommandLine(
      'swx status',
      argv,
      { options: { token: { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true },
      io,
    );
    if (!parsed) return 2;
    const [id, ...extra] = parsed.positionals;
    if (id === undefined || extra.length > 0) {
      io.stderr.write('swx status: give exactly one declaration id (see swx status --help)\n');
      return 2;
    }
    try {
      const target = serviceTarget(io.env, parsed.values);
      const answer = await callApi(target, 'GET', `/v1/declarations/${encodeURIComponent(id)}`);
      if (answer.status !== 200) {
        io.stderr.write(`swx status: ${describeRefusal(answer, target)}\n`);
        return 1;
      }
      if (parsed.values.json) {
        io.stdout.write(`${JSON.stringify(answer.body, null, 2)}\n`);
        return 0;
      }
      const view = answer.body as View;
      const reasons = view.channelReasons.map((reason) => `${reason.rule} (${reason.detail})`).join('; ');
      io.stdout.write(
        `declaration ${view.declarationNumber} (${view.id})\n` +
          `status:  ${view.status}\n` +
          `channel: ${view.channel}${reasons ? ` — ${reasons}` : ''}\n` +
          `partner: ${view.partner ?? '-'}\n` +
          'timeline:\n' +
          view.timeline
            .map(
              (step) => `  #${String(step.ledgerIndex).padEnd(7)} ${step.at}  ${step.type}${step.messageId ? `  message ${step.messageId}` : ''}\n`,
            )
            .join(''),
      );
      return 0;
    } catch (error) {
      io.stderr.write(`swx status: ${(error as Error).message}\n`);
      return 1;
    }
  },
};
export default status;
