import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MapGatewayMemory } from '../../../src/runtime/simulator/gateway-memory.js';
import { JournaledGatewayMemory } from '../../../src/runtime/simulator/journaled-gateway-memory.js';
import { ResponseJournal } from '../../../src/runtime/simulator/response-journal.js';
import type { ReceivedMessage } from '../../../src/runtime/simulator/simulator-records.js';

const message = (index: number): ReceivedMessage => ({
  messageId: `message-${index}`,
  digest: `digest-${index}`,
  status: 200,
  receipt: `<Receipt>${index} ${'é'.repeat(index)}</Receipt>`,
});

const journalDir = () => join(mkdtempSync(join(tmpdir(), 'swx-memory-')), 'TH');

describe('MapGatewayMemory (no journal)', () => {
  it('keeps the newest messages only, however many arrive, while their count goes on', () => {
    const memory = new MapGatewayMemory(3);
    for (let index = 1; index <= 10; index += 1) memory.record(message(index));
    expect(memory.messageIds()).toEqual(['message-8', 'message-9', 'message-10']);
    expect(memory.received('message-7')).toBeUndefined();
    expect(memory.received('message-10')).toEqual(message(10));
    expect(memory.receivedCount()).toBe(10);
  });
});

describe('JournaledGatewayMemory', () => {
  it('answers a message sent again with its receipt read back from the journal, after a restart too', () => {
    const dir = journalDir();
    const first = new JournaledGatewayMemory(new ResponseJournal(dir));
    for (const index of [0, 1, 2]) first.record(message(index), undefined);
    expect(first.received('message-1')).toEqual(message(1));

    const restarted = new JournaledGatewayMemory(new ResponseJournal(dir));
    restarted.record(message(3), undefined);
    expect([0, 1, 2, 3].map((index) => restarted.received(`message-${index}`))).toEqual([0, 1, 2, 3].map(message));
    expect(restarted.receivedCount()).toBe(4);
    expect(restarted.received('message-9')).toBeUndefined();
  });

  it('reads the right records once the journal was cut to the newest at a restart', () => {
    const dir = journalDir();
    const first = new JournaledGatewayMemory(new ResponseJournal(dir));
    for (let index = 1; index <= 6; index += 1) first.record(message(index), undefined);
    const restarted = new JournaledGatewayMemory(new ResponseJournal(dir, 3));
    restarted.record(message(7), undefined);
    expect(restarted.messageIds()).toEqual(['message-5', 'message-6', 'message-7']);
    expect([5, 6, 7].map((index) => restarted.received(`message-${index}`))).toEqual([5, 6, 7].map(message));
    expect(restarted.received('message-4')).toBeUndefined();
  });

  it('does not record a message whose journal write failed', () => {
    const dir = journalDir();
    const memory = new JournaledGatewayMemory(new ResponseJournal(dir));
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    expect(() => memory.record(message(1), undefined)).toThrow(/ENOTDIR/);
    expect(memory.received('message-1')).toBeUndefined();
    expect(memory.receivedCount()).toBe(0);
  });
});
