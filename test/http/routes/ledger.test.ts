import { OpenAPIHono } from '@hono/zod-openapi';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEd25519NoteVerifier, loadOrCreateCheckpointKey } from '../../../src/adapters/crypto/ed25519-checkpoint-key.js';
import { nodeSha256 } from '../../../src/adapters/crypto/node-sha256.js';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import { fromBase64 } from '../../../src/core/encoding.js';
import { isCoreError } from '../../../src/core/errors.js';
import { DEFAULT_LEDGER_ORIGIN, openCheckpoint } from '../../../src/core/ledger/checkpoint.js';
import type { LedgerEvent } from '../../../src/core/ledger/entry.js';
import { publishCheckpoint } from '../../../src/core/ledger/ledger.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../../src/core/ledger/merkle.js';
import { parseVerifierKey } from '../../../src/core/ledger/signed-note.js';
import type { AppEnv } from '../../../src/http/deps.js';
import { ledgerRoutes } from '../../../src/http/routes/ledger.js';
import { CheckpointPublisher } from '../../../src/runtime/checkpoint-publisher.js';

const event = (i: number): LedgerEvent => ({
  type: 'MESSAGE_QUEUED',
  subject: `msg-${i}`,
  at: '2025-06-01T10:00:00Z',
  data: { partner: 'TH', n: i },
});

describe('ledgerRoutes', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteLedgerStore;
  let app: OpenAPIHono<AppEnv>;
  let publish: () => Promise<unknown>;
  let checkpoints: CheckpointPublisher;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swx-ledger-http-'));
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteLedgerStore(db);
    const key = loadOrCreateCheckpointKey(dir, DEFAULT_LEDGER_ORIGIN, nodeSha256);
    publish = () => publishCheckpoint({ store, sha256: nodeSha256, signer: key.signer, origin: DEFAULT_LEDGER_ORIGIN });
    // Mounted as createApp mounts it; CoreErrors surface as their code (problem+json is createApp's concern).
    app = new OpenAPIHono<AppEnv>();
    // Every bearer token is an auditor's key with the officer role, which may read all of the ledger.
    app.use(async (c, next) => {
      c.set('authenticate', async () => ({ keyId: 'auditor', role: 'officer', name: 'Auditor', partyId: 'AUDIT' }));
      await next();
    });
    checkpoints = new CheckpointPublisher({ store, sha256: nodeSha256, signer: key.signer, origin: DEFAULT_LEDGER_ORIGIN });
    app.route('/v1/ledger', ledgerRoutes({ ledger: store, sha256: nodeSha256, checkpoints, checkpointKey: key.publicKey }));
    app.onError((error, c) => c.json({ code: isCoreError(error) ? error.code : 'INTERNAL' }, 500));
  });
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const response = await app.request(`/v1/ledger${path}`, { headers: { Authorization: 'Bearer auditor-token' } });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers 404 before any checkpoint is signed', async () => {
    expect((await get('/checkpoint')).body).toEqual({ code: 'NOT_FOUND' });
  });

  describe('once the ledger has entries and checkpoints', () => {
    let firstNote: string;

    beforeAll(async () => {
      await store.append(Array.from({ length: 1500 }, (_, i) => event(i)));
      await publish();
      firstNote = (await get('/checkpoint')).body['checkpoint'] as string;
      await store.append(Array.from({ length: 37 }, (_, i) => event(1500 + i)));
      await publish();
    });

    it('serves the latest checkpoint with the key that signed it, which a partner can verify', async () => {
      const { status, body } = await get('/checkpoint');
      expect(status).toBe(200);
      expect(body).toMatchObject({ origin: DEFAULT_LEDGER_ORIGIN, treeSize: 1537, keyName: DEFAULT_LEDGER_ORIGIN });
      expect(body['keyId']).toMatch(/^[0-9a-f]{8}$/);
      const trusted = parseVerifierKey(nodeSha256, body['verifierKey'] as string);
      expect(Buffer.from(trusted.publicKey).toString('base64')).toBe(body['publicKey']);
      const checkpoint = openCheckpoint(body['checkpoint'] as string, createEd25519NoteVerifier(trusted), DEFAULT_LEDGER_ORIGIN);
      expect(Buffer.from(checkpoint.rootHash).toString('base64')).toBe(body['rootHash']);
    });

    it('serves entries start..end inclusive with their canonical bytes and leaf hashes', async () => {
      const { status, body } = await get('/entries?start=10&end=12');
      expect(status).toBe(200);
      const entries = body['entries'] as { index: number; bytes: string; leafHash: string; subject: string }[];
      expect(entries.map((entry) => entry.index)).toEqual([10, 11, 12]);
      expect(entries[0]?.subject).toBe('msg-10');
      for (const entry of entries) {
        expect(Buffer.from(hashLeaf(nodeSha256, fromBase64(entry.bytes))).toString('base64')).toBe(entry.leafHash);
      }
    });

    it('caps a read at 1,000 entries and stops at the end of the ledger', async () => {
      expect(((await get('/entries?start=0&end=1536')).body['entries'] as unknown[]).length).toBe(1000);
      expect(((await get('/entries?start=1530&end=99999')).body['entries'] as unknown[]).length).toBe(7);
    });

    it('serves inclusion proofs a partner verifies against a checkpoint', async () => {
      const checkpoint = (await get('/checkpoint')).body;
      const { status, body } = await get('/proofs/inclusion?index=777&treeSize=1537');
      expect(status).toBe(200);
      const proof = (body['proof'] as string[]).map(fromBase64);
      const leafHash = fromBase64(body['leafHash'] as string);
      expect(verifyInclusion(nodeSha256, 777, 1537, leafHash, proof, fromBase64(checkpoint['rootHash'] as string))).toBe(true);
    });

    it('serves consistency proofs a witness verifies between two checkpoints', async () => {
      const older = openCheckpoint(
        firstNote,
        createEd25519NoteVerifier(parseVerifierKey(nodeSha256, (await get('/checkpoint')).body['verifierKey'] as string)),
      );
      const newer = (await get('/checkpoint')).body;
      const { status, body } = await get(`/proofs/consistency?first=${older.treeSize}&second=1537`);
      expect(status).toBe(200);
      const proof = (body['proof'] as string[]).map(fromBase64);
      expect(verifyConsistency(nodeSha256, older.treeSize, 1537, older.rootHash, fromBase64(newer['rootHash'] as string), proof)).toBe(true);
    });

    it.each([
      ['/entries?start=5&end=4', 'LEDGER_RANGE_INVALID'],
      ['/entries?start=1537&end=1600', 'LEDGER_RANGE_INVALID'],
      ['/proofs/inclusion?index=1537&treeSize=1537', 'LEDGER_RANGE_INVALID'],
      ['/proofs/inclusion?index=0&treeSize=1538', 'LEDGER_RANGE_INVALID'],
      ['/proofs/consistency?first=0&second=10', 'LEDGER_RANGE_INVALID'],
      ['/proofs/consistency?first=11&second=10', 'LEDGER_RANGE_INVALID'],
    ])('refuses %s with %s', async (path, code) => {
      expect((await get(path)).body).toEqual({ code });
    });

    it('refuses a query that is not a number through request validation', async () => {
      expect((await get('/proofs/inclusion?index=abc&treeSize=10')).status).toBe(400);
    });

    it('serves a checkpoint just signed for a receipt, before the publisher stores it', async () => {
      await store.append(Array.from({ length: 5 }, (_, i) => event(1537 + i)));
      expect((await checkpoints.covering(1541))?.treeSize).toBe(1542);
      expect((await store.latestCheckpoint())?.treeSize).toBe(1537);
      expect((await get('/checkpoint')).body).toMatchObject({ treeSize: 1542 });
      expect((await get('/proofs/inclusion?index=1541&treeSize=1542')).status).toBe(200);
    });
  });
});
