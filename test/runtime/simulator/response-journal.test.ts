import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ResponseJournal } from '../../../src/runtime/simulator/response-journal.js';

/** What the journal holds as receipted, read back as a restarted simulator reads it. */
const receivedIn = (journal: ResponseJournal) => journal.receivedIndex().map(({ at }) => journal.receivedAt(at));
const message = (n: number) => ({ messageId: `m${n}`, digest: `d${n}`, status: 200, receipt: `<Receipt>${n}</Receipt>` });
const owed = (id: string, notBefore: number) => ({
  id,
  steps: [{ documentType: 'CUSTOMS_RESPONSE', refToMessageId: 'm1', notBefore, envelope: '<Envelope/>' }],
});

describe('ResponseJournal', () => {
  it('reads back what a simulated gateway received and owes, as another process would after a crash', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'swx-journal-')), 'TH');
    const journal = new ResponseJournal(dir);
    journal.recordReceived(message(1), owed('b', 20));
    journal.savePending(owed('a', 10));
    journal.savePending(owed('c', 30));
    journal.removePending('c');

    const reopened = new ResponseJournal(dir);
    expect(receivedIn(reopened)).toEqual([message(1)]);
    expect(reopened.pending().map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(reopened.pending()[1]?.received).toEqual(message(1));
  });

  describe('when a crash came between what is owed and the receipt record', () => {
    it('takes the record back from the pending file: the message is still recognised once its response is delivered', () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'swx-journal-')), 'TH');
      new ResponseJournal(dir).savePending({ ...owed('a', 10), received: message(1) });
      const restarted = new ResponseJournal(dir);
      expect(receivedIn(restarted)).toEqual([message(1)]);
      restarted.removePending('a');
      expect(receivedIn(new ResponseJournal(dir))).toEqual([message(1)]);
    });
  });

  describe('when the last line was torn by a crash', () => {
    it('skips it, keeps the rest, and records the next message on a line of its own', () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'swx-journal-')), 'TH');
      new ResponseJournal(dir).recordReceived(message(1));
      appendFileSync(join(dir, 'received.jsonl'), '{"messageId":"m2","dig');
      const restarted = new ResponseJournal(dir);
      expect(receivedIn(restarted)).toEqual([message(1)]);
      restarted.recordReceived(message(3));
      expect(receivedIn(new ResponseJournal(dir))).toEqual([message(1), message(3)]);
    });
  });

  describe('when it holds more received messages than it keeps', () => {
    it('keeps the newest and rewrites the file without the others', () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'swx-journal-')), 'TH');
      const journal = new ResponseJournal(dir, 2);
      for (const n of [1, 2, 3, 4]) journal.recordReceived(message(n));
      expect(receivedIn(journal)).toEqual([message(3), message(4)]);
      expect(readFileSync(join(dir, 'received.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
    });
  });
});
