import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { nodeSha256 } from '../../src/adapters/crypto/node-sha256.js';
import { SqliteLedgerStore } from '../../src/adapters/storage/sqlite-ledger-store.js';
import type { LedgerEvent } from '../../src/core/ledger/entry.js';
import { proveConsistency, proveInclusion, rootAt } from '../../src/core/ledger/ledger.js';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../src/core/ledger/merkle.js';
import { hex, referenceRoot } from '../helpers/rfc9162-reference.js';
import { inExchangeObject, restartExchangeObject } from './in-exchange-object.js';

const events = (from: number, count: number): LedgerEvent[] =>
  Array.from({ length: count }, (_, i) => ({ type: 'DOCUMENT_RECEIVED', subject: `dec-${from + i}`, at: '2026-11-20T07:05:00.000Z', data: {} }));

describe('SqliteLedgerStore in the EXCHANGE Durable Object', () => {
  it('proves inclusion and consistency from the hashes it stored, across a restart of the object', async () => {
    const id = env.EXCHANGE.newUniqueId();
    // Each call is a new store over the object's storage, so its frontier and every proof are read from stored BLOBs.
    const inObject = <T>(use: (ledger: SqliteLedgerStore) => Promise<T>) => inExchangeObject(id, (object) => use(new SqliteLedgerStore(object.db)));

    const rootBefore = await inObject(async (ledger) => {
      await ledger.append(events(0, 21));
      return rootAt(ledger, nodeSha256, 21);
    });
    await restartExchangeObject(id);
    const read = await inObject(async (ledger) => {
      await ledger.append(events(21, 14));
      return {
        entries: await ledger.entries(0, 35),
        root: await rootAt(ledger, nodeSha256, 35),
        inclusion: await proveInclusion(ledger, nodeSha256, 17, 35),
        consistency: await proveConsistency(ledger, nodeSha256, 21, 35),
      };
    });

    expect(read.entries.map((entry) => entry.index)).toEqual([...Array(35).keys()]);
    for (const entry of read.entries) {
      expect(entry.leafHash).toBeInstanceOf(Uint8Array);
      expect(hex(entry.leafHash)).toBe(hex(hashLeaf(nodeSha256, entry.bytes)));
    }
    const leaves = read.entries.map((entry) => entry.leafHash);
    expect(hex(read.root)).toBe(hex(referenceRoot(leaves)));
    expect(verifyInclusion(nodeSha256, 17, 35, leaves[17] as Uint8Array, read.inclusion, read.root)).toBe(true);
    expect(verifyConsistency(nodeSha256, 21, 35, rootBefore, read.root, read.consistency)).toBe(true);
  });
});
