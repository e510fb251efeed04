import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PendingLog, readOwed } from '../../../src/runtime/simulator/pending-log.js';
import type { PendingResponse } from '../../../src/runtime/simulator/simulator-records.js';

const owed = (id: string, notBefore: number, steps = 1): PendingResponse => ({
  id,
  steps: Array.from({ length: steps }, (_, step) => ({
    documentType: 'CUSTOMS_RESPONSE',
    refToMessageId: id,
    notBefore: notBefore + step,
    envelope: `<Envelope>${id} ${step} ${'x'.repeat(200)}</Envelope>`,
  })),
});
const gatewayDir = () => mkdtempSync(join(tmpdir(), 'swx-pending-'));

describe('PendingLog', () => {
  it('reads back, after a restart, what is owed as last written, oldest first, without what was sent', () => {
    const dir = gatewayDir();
    const log = new PendingLog(dir);
    log.save(owed('b', 20, 2));
    log.save(owed('a', 10));
    log.save(owed('c', 30));
    log.save({ ...owed('b', 20, 2), steps: owed('b', 20, 2).steps.slice(1) });
    log.remove('c');

    const restarted = new PendingLog(dir);
    expect(restarted.entries().map((entry) => [entry.id, entry.steps.length])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(restarted.entry('b')?.steps[0]?.notBefore).toBe(21);
    expect(restarted.entry('c')).toBeUndefined();
    const owedNow = readOwed(dir).map((entry) => entry.id);
    expect(owedNow.sort()).toEqual(['a', 'b']);
  });

  it('empties its file in place once nothing is owed', () => {
    const dir = gatewayDir();
    const log = new PendingLog(dir);
    log.save(owed('a', 10));
    const inode = statSync(join(dir, 'pending.jsonl')).ino;
    log.remove('a');
    expect(statSync(join(dir, 'pending.jsonl'))).toMatchObject({ size: 0, ino: inode });
    log.save(owed('b', 20));
    expect(new PendingLog(dir).entries().map((entry) => entry.id)).toEqual(['b']);
  });

  it('skips a record torn by a crash and writes the next one on a line of its own', () => {
    const dir = gatewayDir();
    new PendingLog(dir).save(owed('a', 10));
    appendFileSync(join(dir, 'pending.jsonl'), '{"owe":{"id":"b","ste');
    expect(readOwed(dir).map((entry) => entry.id)).toEqual(['a']);
    const restarted = new PendingLog(dir);
    restarted.save(owed('c', 30));
    expect(new PendingLog(dir).entries().map((entry) => entry.id)).toEqual(['a', 'c']);
  });

  it('rewrites its file with only what is owed once it has grown past its limit, and reads every entry right after', () => {
    const dir = gatewayDir();
    const log = new PendingLog(dir, 8_192);
    log.save(owed('kept', 1));
    for (let index = 0; index < 100; index += 1) {
      log.save(owed(`sent-${index}`, 100 + index));
      log.remove(`sent-${index}`);
    }
    expect(statSync(join(dir, 'pending.jsonl')).size).toBeLessThan(8_192 + 1_000);
    log.save(owed('later', 500));
    expect(log.entries().map((entry) => entry.id)).toEqual(['kept', 'later']);
    expect(new PendingLog(dir).entries()).toEqual([owed('kept', 1), owed('later', 500)]);
  });

  it('takes the pending/ directory of an earlier version into the log, and removes it', () => {
    const dir = gatewayDir();
    mkdirSync(join(dir, 'pending'));
    writeFileSync(join(dir, 'pending', 'a.json'), JSON.stringify(owed('a', 10)));
    const log = new PendingLog(dir);
    expect(log.entries()).toEqual([owed('a', 10)]);
    expect(() => statSync(join(dir, 'pending'))).toThrow(/ENOENT/);
    expect(readFileSync(join(dir, 'pending.jsonl'), 'utf8')).toContain('"id":"a"');
  });
});
