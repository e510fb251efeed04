import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OwedResponses, SENDING_AT_ONCE } from '../../../src/runtime/simulator/owed-responses.js';
import { ResponseJournal } from '../../../src/runtime/simulator/response-journal.js';
import type { OwedEnvelope, PendingResponse } from '../../../src/runtime/simulator/simulator-records.js';
import { until } from '../../helpers/child-service.js';

const step = (id: string, documentType: string): OwedEnvelope => ({
  documentType,
  refToMessageId: id,
  notBefore: 0,
  envelope: `<Envelope>${documentType} for ${id}</Envelope>`,
});
const entry = (id: string): PendingResponse => ({ id, steps: [step(id, 'ACKNOWLEDGE'), step(id, 'CUSTOMS_RESPONSE')] });

/** A swx that answers each envelope after `delayMs`, refusing the first `refusals` attempts, and notes what it got. */
function slowSwx(delayMs: number, refusals = 0) {
  const sent: string[] = [];
  let inFlight = 0;
  let most = 0;
  let refused = 0;
  const send = async (owed: OwedEnvelope) => {
    inFlight += 1;
    most = Math.max(most, inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    inFlight -= 1;
    if (refused < refusals) {
      refused += 1;
      throw new Error('swx unavailable');
    }
    sent.push(owed.envelope);
  };
  return { send, sent, most: () => most };
}

/** An OwedResponses over a new journal, sending with `send` and retrying quickly. */
function owedTo(send: (owed: OwedEnvelope) => Promise<void>) {
  const journal = new ResponseJournal(join(mkdtempSync(join(tmpdir(), 'swx-owed-')), 'TH'));
  const retry = { budgetMs: 10_000, baseDelayMs: 1, maxDelayMs: 5 };
  return { journal, owed: new OwedResponses({ journal, retry, send, random: () => 0, log: () => {} }) };
}

describe('OwedResponses', () => {
  it('sends a backlog from the journal at most SENDING_AT_ONCE at a time, each entry in order, and empties the journal', async () => {
    const swx = slowSwx(2, 5);
    const { journal, owed } = owedTo(swx.send);
    const ids = Array.from({ length: 200 }, (_, index) => `m${index}`);
    for (const id of ids) {
      journal.savePending(entry(id));
      owed.deliver(entry(id));
    }
    await until('the backlog sent', () => swx.sent.length === 400, 20_000);
    owed.close();

    expect(swx.most()).toBe(SENDING_AT_ONCE);
    for (const id of ids) {
      const order = swx.sent.filter((envelope) => envelope.endsWith(`for ${id}</Envelope>`));
      expect(order).toEqual([step(id, 'ACKNOWLEDGE').envelope, step(id, 'CUSTOMS_RESPONSE').envelope]);
    }
    expect(journal.pending()).toEqual([]);
  });

  it('sends what is left in the journal, not what it was first given: a step delivered before a restart is not sent again', async () => {
    const swx = slowSwx(0);
    const { journal, owed } = owedTo(swx.send);
    journal.savePending({ id: 'm1', steps: [step('m1', 'CUSTOMS_RESPONSE')] });
    owed.deliver(entry('m1'));
    await until('the journal emptied', () => journal.pending().length === 0, 5_000);
    owed.close();
    expect(swx.sent).toEqual([step('m1', 'CUSTOMS_RESPONSE').envelope]);
  });
});
