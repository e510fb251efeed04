import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPkiLayout } from '../../../src/adapters/crypto/dev-pki-layout.js';
import { createSimulateCommand } from '../../../src/cli/commands/simulate.js';
import { parseConfig } from '../../../src/config.js';
import { startService, type RunningService } from '../../../src/runtime/service.js';
import { captureIo } from '../../helpers/capture-io.js';
import { freePort, until } from '../../helpers/child-service.js';
import { partnersDirWith } from '../../helpers/partners-dir.js';
import { copyTestPki } from '../../helpers/test-pki.js';
import { readOwed } from '../../../src/runtime/simulator/pending-log.js';

/**
 * `swx simulate` keeps what it owes as a real gateway does: a Customs Response it cannot deliver (swx unreachable)
 * stays in `<data>/simulators/TH/pending.jsonl` across a restart of the simulator, and is delivered once swx is reachable.
 */

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

let root: string;
let dataDir: string;
let service: RunningService;
let thPort: number;

/** Runs `swx simulate --partners TH` on thPort, sending its business responses to swxUrl, until stopped. */
function simulate(swxUrl: string) {
  const io = captureIo({ SWX_DATA_DIR: dataDir });
  const controller = new AbortController();
  let listening: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (listening = resolve));
  const running = createSimulateCommand({ stop: controller.signal, onListening: () => listening() }).run(
    ['--partners', 'TH', '--port-base', String(thPort), '--swx-url', swxUrl, '--response-delay-ms', '0', '--retry-minutes', '1'],
    io,
  );
  return {
    io,
    started: Promise.race([started, running.then((code) => Promise.reject(new Error(`swx simulate exited ${code}: ${io.err()}`)))]),
    stop: async () => {
      controller.abort();
      return running;
    },
  };
}

const owed = () => readOwed(join(dataDir, 'simulators', 'TH')).length;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'swx-simulate-journal-'));
  dataDir = join(root, 'data');
  const layout = devPkiLayout(copyTestPki(dataDir));
  thPort = await freePort();
  const partners = partnersDirWith({
    TH: {
      mode: 'live',
      endpoint: `http://127.0.0.1:${thPort}/v1/exchange`,
      trust: {
        source: 'pinned',
        certificateFile: layout.gatewayCertificate('TH'),
        rootCertificateFile: layout.rootCertificate('TH'),
        crlFile: layout.crl('TH'),
      },
      retry: { maxAttempts: 50, baseDelayMs: 5, maxDelayMs: 50 },
    },
  });
  service = await startService(
    parseConfig({
      PORT: '0',
      SWX_DATA_DIR: dataDir,
      SWX_PARTNERS_DIR: partners,
      SWX_SIMULATORS: 'off',
      SWX_LOG_LEVEL: 'silent',
      SWX_OUTBOX_POLL_MS: '20',
    }),
  );
});
afterAll(async () => {
  await service.close();
  rmSync(root, { recursive: true, force: true });
});

describe('swx simulate, when swx cannot be reached', () => {
  it('keeps the Customs Response it owes across its own restart and delivers it once swx is reachable', async () => {
    const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const key = await fetch(`${service.url}/v1/admin/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'trader', name: 'coffee exporter', partyId: '0301234567' }),
    });
    const { token } = (await key.json()) as { token: string };
    const timeline = async (id: string) =>
      (
        (await (await fetch(`${service.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as {
          timeline: { type: string }[];
        }
      ).timeline;

    // 1. Thailand's gateway receives the ACDD but answers to an address where nothing listens.
    const unreachable = simulate(`http://127.0.0.1:${await freePort()}`);
    await unreachable.started;
    const declared = await fetch(`${service.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: coffee,
    });
    expect(declared.status).toBe(202);
    const { id } = (await declared.json()) as { id: string };
    await until('the Customs Response owed', () => owed() === 1);
    expect(await unreachable.stop()).toBe(0);
    expect(owed()).toBe(1);

    // 2. Started again, pointed at swx: it sends what it owed, and forgets it once swx has receipted it.
    const reachable = simulate(service.url);
    await reachable.started;
    await until('the Customs Response on the declaration', async () => (await timeline(id)).some((step) => step.type === 'RESPONSE_RECEIVED'));
    await until('nothing owed', () => owed() === 0);
    expect(await reachable.stop()).toBe(0);
    expect(reachable.io.out()).toMatch(/TH +resuming business responses owed from before the restart +count=1/);
    expect(reachable.io.out()).toContain('TH: received 0, rejected 0, duplicates 0, responses accepted 1/1');
  });
});
