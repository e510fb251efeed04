import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import partnersList, { PARTNERS_LIST_WIDTH } from '../../src/cli/commands/partners-list.js';
import { Faults, NO_FAULTS } from '../../src/runtime/simulator/faults.js';
import { captureIo } from '../helpers/capture-io.js';
import { partnersDirWith } from '../helpers/partners-dir.js';
import { startTestService, waitFor, type TestService } from '../helpers/service.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');

interface ListedPartner {
  id: string;
  queueDepth: number | null;
  deadLetters: number | null;
  lastDeliveredAt: string | null;
  consecutiveFailures: number | null;
  lastFailureAt: string | null;
  circuit: { state: string; consecutiveFailures: number; lastError?: string; probeAt?: string; recordedAt: string } | null;
}

describe('swx partners list beside a running swx whose partner fails', () => {
  let swx: TestService;
  let partnersDir: string;

  const list = async (...args: string[]) => {
    const io = captureIo({ SWX_DATA_DIR: swx.dataDir, SWX_PARTNERS_DIR: partnersDir });
    expect(await partnersList.run(args, io)).toBe(0);
    return io.out();
  };
  const listed = async (id: string) => (JSON.parse(await list('--json')) as ListedPartner[]).find((partner) => partner.id === id);
  const row = (table: string, id: string) => table.split('\n').find((line) => line.startsWith(`${id} `)) ?? '';

  beforeAll(async () => {
    partnersDir = partnersDirWith({
      TH: { retry: { maxAttempts: 50, baseDelayMs: 5, maxDelayMs: 20 }, circuit: { failureThreshold: 3, openMs: 3_000 } },
    });
    swx = await startTestService({ SWX_PARTNERS_DIR: partnersDir });
  });
  afterAll(() => swx.close());

  it('shows every gateway circuit closed while the service runs, and says how fresh that is', async () => {
    const table = await list();
    expect(table.split('\n')[0]).toMatch(/SENDS\s+QUEUED\s+DEAD\s+DELIVERED\s+CIRCUIT\s+FAILS\s+LAST FAILURE$/);
    expect(row(table, 'TH')).toMatch(/\s0\s+0\s+-\s+CLOSED\s+0\s+-$/);
    expect(row(table, 'KR')).toMatch(/\sCLOSED\s+0\s+-$/);
    expect(row(table, 'VN-CUSTOMS')).toMatch(/\s-\s+-\s+-\s+-\s+-\s+-$/);
    expect(table).toMatch(/CIRCUIT, FAILS, LAST FAILURE: as the delivering swx last recorded them .*latest change\s\d+s\sago/s);
  });

  it('shows the circuit open, its failures, the last error and the message queued when the partner answers 503', async () => {
    const trader = await swx.createKey('trader', '0301234567');
    swx.service.simulators.get('TH')?.setFaults(Faults.parse({ errorRate: 1 }));
    const submitted = await fetch(`${swx.url}/v1/declarations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${trader}`, 'Content-Type': 'application/json' },
      body: coffee,
    });
    expect(submitted.status).toBe(202);

    const th = await waitFor(
      () => listed('TH'),
      (partner) => partner?.circuit?.state === 'OPEN',
    );
    expect(th?.circuit?.consecutiveFailures).toBeGreaterThanOrEqual(3);
    expect(th?.circuit?.lastError).toMatch(/HTTP 503/);
    expect(Date.parse(th?.circuit?.probeAt ?? '')).toBeGreaterThan(Date.now());
    expect([th?.queueDepth, th?.deadLetters, th?.lastDeliveredAt]).toEqual([1, 0, null]);
    const table = await list();
    expect(row(table, 'TH')).toMatch(/\s1\s+0\s+-\s+(OPEN|HALF_OPEN)\s+[3-9]\s+\d+s ago$/);
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(PARTNERS_LIST_WIDTH);
    expect(Math.max(...(await list('--wide')).split('\n').map((line) => line.length))).toBeGreaterThan(PARTNERS_LIST_WIDTH);
    // The same figures the running service gives over HTTP.
    const view = await fetch(`${swx.url}/v1/partners`, { headers: { Authorization: `Bearer ${swx.adminToken}` } });
    const live = ((await view.json()) as { items: { id: string; delivery: { circuit: string; consecutiveFailures: number } | null }[] }).items.find(
      (partner) => partner.id === 'TH',
    );
    expect(live?.delivery?.circuit).toMatch(/OPEN/);
    expect(live?.delivery?.consecutiveFailures).toBeGreaterThanOrEqual(3);
  });

  it('shows it closed again, with the delivery, once the partner recovers', async () => {
    swx.service.simulators.get('TH')?.setFaults(NO_FAULTS);
    // The open circuit lets one probe through after 3 s; its success closes it.
    const th = await waitFor(
      () => listed('TH'),
      (partner) => partner?.circuit?.state === 'CLOSED',
      15_000,
    );
    expect([th?.queueDepth, th?.consecutiveFailures]).toEqual([0, 0]);
    expect(th?.lastDeliveredAt).not.toBeNull();
    expect(th?.lastFailureAt).not.toBeNull();
  });

  it('shows no circuit once the service has stopped', async () => {
    await swx.service.outbox.stop();
    const table = await list();
    expect(row(table, 'TH')).toMatch(/\s0\s+0\s+\d+s ago\s+-\s+-\s+-$/);
    expect(table).toMatch(/CIRCUIT: none recorded, so no swx is delivering from this data dir now/);
  });
});
