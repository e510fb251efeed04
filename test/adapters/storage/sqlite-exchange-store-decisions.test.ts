import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../src/adapters/storage/sqlite-database.js';
import { SqliteExchangeStore } from '../../../src/adapters/storage/sqlite-exchange-store.js';
import { SqliteLedgerStore } from '../../../src/adapters/storage/sqlite-ledger-store.js';
import type { Principal } from '../../../src/core/auth/api-key.js';
import { decideClearance } from '../../../src/core/clearance/decide-clearance.js';
import type { Declaration } from '../../../src/core/declaration/declaration.js';
import { isCoreError } from '../../../src/core/errors.js';
import { ChangeBuilder } from '../../../src/core/exchange/change-builder.js';

const officer = (partyId: string): Principal => ({ keyId: `key-${partyId}`, role: 'officer', name: `Officer ${partyId}`, partyId });
const AT = '2026-11-21T03:00:00.000Z';
const declaration: Declaration = {
  id: 'd-1',
  declarationNumber: '326000000001',
  kind: 'EXPORT',
  partyId: '0301234567',
  status: 'UNDER_REVIEW',
  channel: 'YELLOW',
  channelReasons: [],
  partnerId: 'TH',
  document: {},
  createdAt: AT,
  updatedAt: AT,
};

describe('decideClearance on SqliteExchangeStore', () => {
  let dir: string;
  let db: SqliteDatabase;
  let store: SqliteExchangeStore;
  const deps = () => ({ store, clock: { now: () => new Date(AT) } });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'swx-decisions-'));
    db = openDatabase(join(dir, 'swx.db'));
    store = new SqliteExchangeStore(db, new SqliteLedgerStore(db));
    await store.commit(
      new ChangeBuilder()
        .event({ type: 'STATUS_CHANGED', subject: declaration.id, at: AT, data: { status: 'UNDER_REVIEW' } }, { declarationId: declaration.id })
        .insertDeclaration(declaration)
        .build(),
    );
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when two officers decide from the same status at once', () => {
    it('applies the first and refuses the second with 409, though one after the other both would be allowed', async () => {
      // hold then inspect is a legal sequence: only the status check at commit can refuse the second.
      const outcomes = await Promise.allSettled([
        decideClearance(deps(), declaration.id, officer('A'), { action: 'hold', reason: 'Awaiting the invoice' }),
        decideClearance(deps(), declaration.id, officer('B'), { action: 'inspect', reason: 'Random physical check' }),
      ]);
      expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { previousStatus: 'UNDER_REVIEW', status: 'HELD' } });
      expect(outcomes[1]?.status).toBe('rejected');
      const error = outcomes[1]?.status === 'rejected' ? (outcomes[1].reason as unknown) : undefined;
      expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);

      expect((await store.getDeclaration(declaration.id))?.status).toBe('HELD');
      const timeline = await store.getTimeline(declaration.id);
      expect(timeline.map((step) => [step.type, step.detail['action'] ?? step.detail['status']])).toEqual([
        ['STATUS_CHANGED', 'UNDER_REVIEW'],
        ['DECISION_RECORDED', 'hold'],
        ['STATUS_CHANGED', 'HELD'],
      ]);
      expect(db.prepare('SELECT count(*) FROM ledger_entries').pluck().get()).toBe(3);
    });
  });

  it('lets the second officer decide once it reads the new status', async () => {
    await decideClearance(deps(), declaration.id, officer('A'), { action: 'hold', reason: 'Awaiting the invoice' });
    const answer = await decideClearance(deps(), declaration.id, officer('B'), { action: 'inspect', reason: 'Random physical check' });
    expect(answer).toMatchObject({ previousStatus: 'HELD', status: 'INSPECTION', ledgerIndex: 3 });
  });
});
