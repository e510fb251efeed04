import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childPids, createTraderKey, freePort, isAlive, isListening, startChildService, type ChildService } from '../helpers/child-service.js';
import { acknowledgedIds, driveDeclarations } from '../helpers/declaration-load.js';
import { startTestService } from '../helpers/service.js';
import { copyTestPki } from '../helpers/test-pki.js';

const coffee = readFileSync('message-schemas/export-declaration/1/examples/valid-coffee-to-thailand.json', 'utf8');
/** The coffee declaration's exporter: the trader key files in its name. */
const EXPORTER = '0301234567';

describe('SIGTERM to `npm start` under load', () => {
  const started: ChildService[] = [];
  afterAll(() => {
    for (const swx of started) swx.process.kill('SIGKILL');
  });

  it('answers every declaration it committed, commits none it did not answer, exits 0 and leaves no process listening', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'swx-sigterm-'));
    copyTestPki(dataDir);
    const port = await freePort();
    const env = { PORT: String(port), SWX_DATA_DIR: dataDir, SWX_LOG_LEVEL: 'silent', SWX_OUTBOX_POLL_MS: '20' };
    const swx = await startChildService(env, 'npm');
    started.push(swx);
    const servers = childPids(swx.process.pid ?? 0);
    expect(servers.length).toBeGreaterThan(0);
    const token = await createTraderKey(swx.url, dataDir, EXPORTER);

    let stopped = false;
    const load = driveDeclarations({ url: swx.url, token, body: coffee, concurrency: 16, stopped: () => stopped });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (load.outcomes.length < 40) return;
        clearInterval(check);
        resolve();
      }, 10);
    });
    swx.process.kill('SIGTERM');
    const exit = await swx.exited;
    stopped = true;
    const outcomes = await load.done;

    expect(exit).toEqual({ code: 0, signal: null });
    expect(swx.output()).toMatch(/swx stopped: \d+ requests drained in \d+ ms/);
    expect(await isListening(port)).toBe(false);
    for (const pid of servers) expect(isAlive(pid)).toBe(false);
    expect(outcomes.filter((outcome) => 'status' in outcome && outcome.status !== 202)).toEqual([]);

    const answered = acknowledgedIds(outcomes);
    const db = new Database(join(dataDir, 'swx.db'), { readonly: true });
    const committed = db.prepare('SELECT id FROM declarations').pluck().all() as string[];
    db.close();
    expect([...committed].sort()).toEqual([...answered].sort());

    // After a restart, each request that got no answer, posted again with its Idempotency-Key, is new: it was never committed.
    const again = await startChildService(env, 'node');
    started.push(again);
    const unanswered = outcomes.filter((outcome) => 'error' in outcome);
    for (const { key } of unanswered) {
      const response = await fetch(`${again.url}/v1/declarations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
        body: coffee,
      });
      expect(response.status).toBe(202);
      expect(committed).not.toContain(((await response.json()) as { id: string }).id);
    }
    for (const id of answered.slice(0, 20)) {
      expect((await fetch(`${again.url}/v1/declarations/${id}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    }
    again.process.kill('SIGTERM');
    expect(await again.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});

/** Opens a connection and sends `head` (a request not yet complete); resolves once the server has had a turn to read it. */
async function partialRequest(port: number, head: string): Promise<{ socket: Socket; answer: Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const answer = new Promise<string>((resolve) => socket.once('close', () => resolve(text)));
  socket.write(head);
  // The bytes are in the kernel already; one turn of the event loop lets the in-process server read them.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return { socket, answer };
}

describe('RunningService.close()', () => {
  it('answers /readyz 503 at once and lets a request in flight finish with its 202 before stopping', async () => {
    const swx = await startTestService({ SWX_SIMULATORS: 'off' });
    const token = await swx.createKey('trader', EXPORTER);
    const port = Number(new URL(swx.url).port);
    const body = Buffer.from(coffee);
    const post = await partialRequest(
      port,
      `POST /v1/declarations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Idempotency-Key: ${randomUUID()}\r\nContent-Length: ${body.length}\r\n\r\n${coffee.slice(0, 100)}`,
    );
    const readyz = await partialRequest(port, 'GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n');

    const stopping = swx.service.close();
    readyz.socket.write('\r\n');
    post.socket.write(body.subarray(Buffer.byteLength(coffee.slice(0, 100))));

    const ready = await readyz.answer;
    expect(ready).toMatch(/^HTTP\/1\.1 503 /);
    expect(ready).toMatch(/shutting down/);
    const accepted = await post.answer;
    expect(accepted).toMatch(/^HTTP\/1\.1 202 /);
    expect(accepted).toMatch(/\r\nConnection: close\r\n/i);
    const id = /"id":"([^"]+)"/.exec(accepted)?.[1];
    expect(swx.query<{ id: string }>('SELECT id FROM declarations')).toEqual([{ id }]);
    expect(await stopping).toMatchObject({ drained: 2, cutOff: 0 });
    expect(await isListening(port)).toBe(false);
    await swx.close();
  });

  it('cuts off a request still unfinished after SWX_SHUTDOWN_GRACE_MS, without committing it', async () => {
    const swx = await startTestService({ SWX_SIMULATORS: 'off', SWX_SHUTDOWN_GRACE_MS: '300' });
    const token = await swx.createKey('trader', EXPORTER);
    const port = Number(new URL(swx.url).port);
    const post = await partialRequest(
      port,
      `POST /v1/declarations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(coffee)}\r\n\r\n${coffee.slice(0, 100)}`,
    );
    expect(await swx.service.close()).toMatchObject({ drained: 0, cutOff: 1 });
    expect(await post.answer).toBe('');
    expect(swx.query('SELECT id FROM declarations')).toEqual([]);
    await swx.close();
  });
});
