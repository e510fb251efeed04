import { toBase64 } from '../../src/core/encoding.js';
import { ChangeBuilder } from '../../src/core/exchange/change-builder.js';
import type { ExchangeChange } from '../../src/core/exchange/exchange-store.js';
import type { Sha256 } from '../../src/core/primitives.js';

/** The changes the sequencer benches commit, the same on Node and in the EXCHANGE object. */
export type CommitShape = 'event' | 'reception';

/** A 4 KB envelope stand-in: about the size of a signed Customs Response. */
const ENVELOPE_PADDING = 'x'.repeat(4_000);

/**
 * One change of `shape`, unique by `n`: `event` is one ledger entry (STATUS_CHANGED); `reception` is what an inbound
 * envelope commits, less its routing: DOCUMENT_RECEIVED carrying a 4 KB message, and RECEIPT_SENT.
 * @example await store.commit(aBenchChange('reception', 7, nodeSha256))
 */
export function aBenchChange(shape: CommitShape, n: number, sha256: Sha256): ExchangeChange {
  const at = new Date().toISOString();
  const subject = `bench-${n}-${crypto.randomUUID()}`;
  if (shape === 'event') return new ChangeBuilder().event({ type: 'STATUS_CHANGED', subject, at, data: { status: 'BENCH', n } }).build();
  const envelope = `<Envelope xmlns="urn:swx:envelope:1"><MessageId>${subject}</MessageId><Padding>${ENVELOPE_PADDING}</Padding></Envelope>`;
  const digest = toBase64(sha256(new TextEncoder().encode(envelope)));
  const message = {
    messageId: subject,
    direction: 'IN' as const,
    partnerId: 'TH',
    documentType: 'CUSTOMS_RESPONSE',
    conversationId: subject,
    refTo: undefined,
    declarationId: undefined,
    envelope,
    digest,
    receipt: undefined,
    ledgerIndex: undefined,
    createdAt: at,
  };
  return new ChangeBuilder()
    .receive({ type: 'DOCUMENT_RECEIVED', subject, at, data: { documentType: 'CUSTOMS_RESPONSE', from: 'TH', envelopeDigest: digest } }, message)
    .event({ type: 'RECEIPT_SENT', subject, at, data: { to: 'TH', status: 'RECEIVED', envelopeDigest: digest } }, { messageId: subject })
    .build();
}

/**
 * Commits `count` changes of `shape` through `commit`, `concurrency` callers at a time (each waits for its commit
 * before the next, as a request does).
 * @example await commitConcurrently((change) => store.commit(change), 'event', 20_000, 64, nodeSha256)
 */
export async function commitConcurrently(
  commit: (change: ExchangeChange) => Promise<unknown>,
  shape: CommitShape,
  count: number,
  concurrency: number,
  sha256: Sha256,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n < count; n = next++) await commit(aBenchChange(shape, n, sha256));
    }),
  );
}
