import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getGlobalDispatcher } from 'undici';
import type { GatewayAddress } from '../../../message-schemas/envelope/1/schema.js';
import { devPkiDir, devPkiLayout } from '../../adapters/crypto/dev-pki-layout.js';
import { devPkiPartiesFor, ensureDevPki } from '../../adapters/crypto/forge-dev-pki.js';
import { nodeSha256 } from '../../adapters/crypto/node-sha256.js';
import { XmlDsigSigner } from '../../adapters/crypto/xmldsig-signer.js';
import { XmlDsigVerifier } from '../../adapters/crypto/xmldsig-verifier.js';
import { readPartnerFiles } from '../../adapters/partners/partner-directory.js';
import { parseXml } from '../../adapters/xml/xml-codec.js';
import { isCoreError } from '../../core/errors.js';
import type { GatewayPartner } from '../../core/partner.js';
import { Faults } from '../../runtime/simulator/faults.js';
import { LedgerWitness } from '../../runtime/simulator/ledger-witness.js';
import { DEFAULT_RETRY } from '../../runtime/simulator/owed-responses.js';
import { ResponseJournal } from '../../runtime/simulator/response-journal.js';
import { startPartnerSimulator, type PartnerSimulator } from '../../runtime/simulator/partner-simulator.js';
import type { CliCommand, CliIo } from '../command.js';
import { dataDirFrom, partnersDirFrom } from '../../config.js';
import { serviceTarget } from '../http-client.js';
import { findSimulatedGateway, ownGatewayFrom, simulatedGateways } from '../simulated-gateways.js';

/** Each fault flag and the `Faults` field it sets. */
const FAULT_FLAGS = {
  'latency-ms': 'latencyMs',
  'error-rate': 'errorRate',
  'drop-rate': 'dropRate',
  'slow-body-rate': 'slowBodyRate',
  'bad-signature-rate': 'badSignatureRate',
  'wrong-receipt-rate': 'wrongReceiptRate',
  'business-ack-rate': 'businessAckRate',
  'business-reject-rate': 'businessRejectRate',
  'response-delay-ms': 'responseDelayMs',
} as const satisfies Record<string, keyof Faults>;
type FaultFlag = keyof typeof FAULT_FLAGS;

const usage = `Usage: swx simulate [--partners TH,SG|all] [--port-base N] [--swx-url URL] [--token TOKEN] [--retry-minutes N] [fault options] [--data-dir DIR]
       swx simulate send --partner TH [--type TYPE] <file>   (see swx simulate send --help)

Runs partner gateways on 127.0.0.1, played from the partner files in $SWX_PARTNERS_DIR (default: the
repository's partners/) and the development PKI in DIR/pki (default: $SWX_DATA_DIR, else ./data; created
when missing, as swx serve does). Each gateway verifies the envelopes it receives with swx's certificate,
answers with a receipt signed by its own development key, and sends swx the business response a real
gateway would (a Customs Response for an ACDD). Prints the gateways and their URLs, then a line per
envelope, response and injected fault. Stops on Ctrl-C or SIGTERM.

Like a real gateway, each keeps what it received and the responses it owes in DIR/simulators/<ID>/ (written
before its receipt is answered): a response swx does not receipt is retried with backoff for --retry-minutes,
and whatever is still owed when it stops is sent again on its next start.

  --partners IDS            comma-separated gateway ids, or all (default): every gateway with dev-pki
                            trust whose state is not planned
  --port-base N             listen on ports N, N+1, ... in the order of --partners (default: free ports)
  --swx-url URL             where business responses go (default: $SWX_URL, else http://127.0.0.1:$PORT, PORT 8080)
  --data-dir DIR            the data dir swx uses, for the same development PKI
  --retry-minutes N         keep retrying a business response swx does not receipt for N minutes (default 10)
  --token TOKEN             a bearer token of swx (any role; default: $SWX_TOKEN): each gateway then witnesses swx's
                            ledger, checking the checkpoint in each receipt of swx against the last one it saw with
                            GET /v1/ledger/proofs/consistency (kept in DIR/simulators/<ID>.checkpoint), and warns
                            "swx ledger inconsistent" when history was rewritten. The checkpoint key is the one
                            GET /v1/ledger/checkpoint lists, trusted on first use and printed

Faults (rates are probabilities per request, from 0 to 1):
  --latency-ms N            delay every answer by N ms
  --error-rate R            answer 503 without a receipt
  --drop-rate R             close the connection without an answer
  --slow-body-rate R        send the receipt slowly, one chunk a second
  --bad-signature-rate R    send a receipt whose signature does not verify
  --wrong-receipt-rate R    send a receipt naming another message id
  --business-ack-rate R     acknowledge a received document at the business level (an ACKNOWLEDGE envelope)
  --business-reject-rate R  make that acknowledgement a rejection (no business response follows)
  --response-delay-ms N     wait N ms before sending the business response (default 200)

To make a running swx deliver to these gateways, give it (SWX_PARTNERS_DIR) a copy of the partners
directory in which each of them has "mode": "live" and "endpoint": "<its URL>/v1/exchange", and the same
SWX_DATA_DIR. For example, after swx simulate --partners TH --port-base 9100, th.json gets
"mode": "live", "endpoint": "http://127.0.0.1:9100/v1/exchange".`;

const COMMAND = 'swx simulate';

/** How a test stops `swx simulate` and learns where its gateways listen; by default it waits for SIGINT/SIGTERM. */
export interface SimulateOptions {
  readonly stop?: AbortSignal;
  readonly onListening?: (simulators: readonly PartnerSimulator[]) => void;
}

/**
 * Builds `swx simulate` (design.md 3.7): simulated partner gateways with fault injection, alone.
 * @example const controller = new AbortController(); await createSimulateCommand({ stop: controller.signal }).run(['--partners', 'TH'], io)
 */
export function createSimulateCommand(options: SimulateOptions = {}): CliCommand {
  return {
    name: 'simulate',
    usage,
    async run(argv, io) {
      const usageError = (message: string) => {
        io.stderr.write(`${COMMAND}: ${message} (see ${COMMAND} --help)\n`);
        return 2;
      };
      let values;
      try {
        ({ values } = parseArgs({
          args: [...argv],
          options: {
            partners: { type: 'string' },
            'port-base': { type: 'string' },
            'swx-url': { type: 'string' },
            token: { type: 'string' },
            'data-dir': { type: 'string' },
            'retry-minutes': { type: 'string' },
            ...Object.fromEntries(Object.keys(FAULT_FLAGS).map((flag) => [flag, { type: 'string' }] as const)),
          } as Record<'partners' | 'port-base' | 'swx-url' | 'token' | 'data-dir' | 'retry-minutes' | FaultFlag, { type: 'string' }>,
          strict: true,
          allowPositionals: false,
        }));
      } catch (error) {
        return usageError((error as Error).message);
      }
      const faults = parseFaults(values);
      if ('error' in faults) return usageError(faults.error);
      let portBase: number | undefined;
      if (values['port-base'] !== undefined) {
        portBase = Number(values['port-base']);
        if (!/^[0-9]+$/.test(values['port-base']) || portBase < 1 || portBase > 65535) {
          return usageError(`--port-base: ${JSON.stringify(values['port-base'])} is not a port number (1 to 65535)`);
        }
      }
      const retryMinutes = Number(values['retry-minutes'] ?? '10');
      if (!(retryMinutes > 0) || !Number.isFinite(retryMinutes))
        return usageError(`--retry-minutes: ${JSON.stringify(values['retry-minutes'])} is not a positive number of minutes`);
      if (values['swx-url'] !== undefined && !URL.canParse(values['swx-url']))
        return usageError(`--swx-url: ${JSON.stringify(values['swx-url'])} is not a URL`);
      const self = ownGatewayFrom(io.env);
      if ('error' in self) return usageError(self.error);

      const simulators: PartnerSimulator[] = [];
      try {
        const partnersDir = partnersDirFrom(io.env);
        const partners = readPartnerFiles(partnersDir);
        const chosen = chooseGateways(partners, values.partners, partnersDir);
        if ('error' in chosen) return usageError(`--partners: ${chosen.error}`);
        if (portBase !== undefined && portBase + chosen.gateways.length - 1 > 65535)
          return usageError(`--port-base: ${portBase} leaves too few ports for ${chosen.gateways.length} gateways`);

        const dataDir = dataDirFrom(io.env, values['data-dir']);
        const pkiDir = devPkiDir(dataDir);
        const created = await ensureDevPki(pkiDir, devPkiPartiesFor(partners, self.gatewayId));
        if (created.length > 0) io.stdout.write(`created ${created.length} files of the development PKI in ${pkiDir}\n`);
        const layout = devPkiLayout(pkiDir);
        const nsw: GatewayAddress = { gatewayId: self.gatewayId, country: self.gatewayId as GatewayAddress['country'] };
        const nswCertificatePath = layout.gatewayCertificate(self.gatewayId);
        const certificatePem = readFileSync(nswCertificatePath, 'utf8');
        const swxUrl = (values['swx-url'] ?? serviceTarget(io.env, {}).url).replace(/\/+$/, '').replace(/\/v1\/exchange$/, '');
        const verifier = new XmlDsigVerifier();
        const log = logLine(io);
        const { token } = serviceTarget(io.env, { token: values.token });

        for (const [index, gateway] of chosen.gateways.entries()) {
          const port = portBase === undefined ? undefined : portBase + index;
          try {
            simulators.push(
              await startPartnerSimulator({
                partner: gateway,
                signer: new XmlDsigSigner(
                  readFileSync(layout.gatewayKey(gateway.id), 'utf8'),
                  readFileSync(layout.gatewayCertificate(gateway.id), 'utf8'),
                ),
                verifier,
                parseXml,
                nsw: { gateway: nsw, certificatePem, exchangeUrl: () => `${swxUrl}/v1/exchange` },
                faults: faults.faults,
                clock: { now: () => new Date() },
                ids: { uuid: () => randomUUID() },
                sha256: nodeSha256,
                random: Math.random,
                log,
                ...(port === undefined ? {} : { port }),
                journal: new ResponseJournal(join(dataDir, 'simulators', gateway.id)),
                retry: { ...DEFAULT_RETRY, budgetMs: Math.round(retryMinutes * 60_000) },
                ...(token === undefined
                  ? {}
                  : {
                      witness: new LedgerWitness({
                        partnerId: gateway.id,
                        sha256: nodeSha256,
                        swx: { url: () => swxUrl, token },
                        stateFile: join(dataDir, 'simulators', `${gateway.id}.checkpoint`),
                        log,
                      }),
                    }),
              }),
            );
          } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'EADDRINUSE' || code === 'EACCES') {
              io.stderr.write(
                `${COMMAND}: cannot listen on 127.0.0.1:${port ?? 0} for ${gateway.id}: ${code}${code === 'EADDRINUSE' ? ' (the port is in use; try another --port-base)' : ''}\n`,
              );
              await closeAll(simulators);
              return 1;
            }
            throw error;
          }
        }

        io.stdout.write(
          renderTable(
            ['PARTNER', 'NAME', 'URL', 'EXCHANGE ENDPOINT'],
            simulators.map((simulator, index) => [simulator.partnerId, chosen.gateways[index]?.name ?? '', simulator.url, simulator.exchangeUrl]),
          ) +
            `faults: ${describeFaults(faults.faults)}\n` +
            `business responses go to ${swxUrl}/v1/exchange; envelopes must be signed by ${self.gatewayId} (${nswCertificatePath})\n` +
            (token === undefined
              ? 'ledger witness: off (give --token or SWX_TOKEN to check the checkpoints in swx receipts)\n'
              : `ledger witness: on, last checkpoints kept in ${join(dataDir, 'simulators')}\n`) +
            `${options.stop === undefined ? 'Ctrl-C to stop.\n' : ''}`,
        );
        for (const simulator of simulators) simulator.resumePending();
        options.onListening?.(simulators);
        await stopped(options.stop);
        await closeAll(simulators);
        // Idle keep-alive connections to swx would hold the process open a few seconds after Ctrl-C.
        if (options.stop === undefined) await getGlobalDispatcher().close();
        for (const simulator of simulators) {
          const stats = simulator.stats();
          io.stdout.write(
            `${simulator.partnerId}: received ${stats.received}, rejected ${stats.rejected}, duplicates ${stats.duplicates}, ` +
              `responses accepted ${stats.responsesAccepted}/${stats.responsesSent}, faults injected ${stats.faultsInjected}` +
              (token === undefined
                ? ''
                : `, checkpoints witnessed ${stats.checkpointsWitnessed}, ledger inconsistencies ${stats.ledgerInconsistencies}`) +
              '\n',
          );
        }
        return 0;
      } catch (error) {
        await closeAll(simulators);
        if (isCoreError(error)) {
          io.stderr.write(`${COMMAND}: ${error.message}\n`);
          return 1;
        }
        throw error;
      }
    },
  };
}

export default createSimulateCommand();

/** The fault flags validated by the `Faults` schema; a bad value is one line naming its flag. */
function parseFaults(values: Partial<Record<string, string | undefined>>): { faults: Faults } | { error: string } {
  const input: Partial<Record<keyof Faults, string>> = {};
  for (const [flag, field] of Object.entries(FAULT_FLAGS)) {
    const value = values[flag];
    if (value === undefined) continue;
    if (value.trim() === '') return { error: `--${flag}: expected a number` };
    input[field] = value;
  }
  const result = Faults.safeParse(input);
  if (result.success) return { faults: result.data };
  const issue = result.error.issues[0];
  const flag = Object.entries(FAULT_FLAGS).find(([, field]) => field === issue?.path[0])?.[0] ?? 'faults';
  const value = values[flag];
  return {
    error: `--${flag}: ${JSON.stringify(value)}: ${flag.endsWith('-rate') ? 'expected a rate from 0 to 1' : 'expected a whole number of milliseconds, 0 or more'} (${issue?.message ?? 'invalid'})`,
  };
}

/** The gateways `--partners` names (all simulatable ones by default), in the order given, without repeats. */
function chooseGateways(
  partners: Parameters<typeof simulatedGateways>[0],
  option: string | undefined,
  partnersDir: string,
): { gateways: GatewayPartner[] } | { error: string } {
  if (option === undefined || option.trim().toLowerCase() === 'all') {
    const gateways = simulatedGateways(partners);
    return gateways.length > 0 ? { gateways } : { error: `no gateway in ${partnersDir} has dev-pki trust and a state other than planned` };
  }
  const gateways: GatewayPartner[] = [];
  for (const id of option
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const found = findSimulatedGateway(partners, id, partnersDir);
    if ('error' in found) return found;
    if (!gateways.includes(found.gateway)) gateways.push(found.gateway);
  }
  return gateways.length > 0 ? { gateways } : { error: 'give gateway ids such as TH,SG, or all' };
}

function describeFaults(faults: Faults): string {
  const set = Object.entries(FAULT_FLAGS)
    .filter(([, field]) => field !== 'responseDelayMs' && faults[field] !== 0)
    .map(([flag, field]) => `${flag} ${faults[field]}`);
  return `${set.length === 0 ? 'none' : set.join(', ')}; business responses after ${faults.responseDelayMs} ms`;
}

/**
 * The simulators' log as one line each: time, partner, what happened, then the other fields as key=value (not the
 * `component` every simulator line carries for a shared log: here every line is a simulator's).
 */
function logLine(io: CliIo): (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void {
  return (level, message, fields = {}) => {
    const { partner, component: _component, ...rest } = fields;
    const details = Object.entries(rest)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const time = new Date().toISOString().slice(11, 23);
    const line = `${time}  ${String(partner ?? '-').padEnd(3)} ${level === 'info' ? '' : `${level.toUpperCase()} `}${message}${details === '' ? '' : `  ${details}`}\n`;
    (level === 'info' ? io.stdout : io.stderr).write(line);
  };
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (signal !== undefined) {
    return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function closeAll(simulators: readonly PartnerSimulator[]): Promise<void> {
  await Promise.all(simulators.map((simulator) => simulator.close()));
}

function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}
