import { CoreError } from '../errors.js';
import { ChangeBuilder } from './change-builder.js';
import type { Partner } from '../partner.js';
import type { EnvelopeHeader } from '../../../message-schemas/envelope/1/schema.js';
import { writeReceipt } from '../../../message-schemas/receipt/1/build.js';
import type { ReceiveAnswer, ReceiveDeps } from './reception.js';

/** Issues of a refusal listed in its ledger entry and receipt; the rest are counted. */
export const LISTED_ISSUES = 5;
/** Characters kept of each issue (and of a message without issues). */
export const ISSUE_CHARACTERS = 200;

/** What swx knows of an envelope it refuses. */
export interface RefusedEnvelope {
  /** The header as verified, or as claimed when the envelope failed before its signature was verified. */
  readonly header: EnvelopeHeader | undefined;
  /** Base64 SHA-256 of the bytes received. */
  readonly digest: string;
  /** Size of the envelope in UTF-8 bytes. */
  readonly bytes: number;
  /** The partner whose pinned certificate verified the signature, once it has; undefined before. */
  readonly signer: Partner | undefined;
  /** The client's network address, when the runtime knows it. */
  readonly address: string | undefined;
}

/**
 * Refuses an envelope (design.md 3.4), at a cost that does not grow with what was sent:
 * 1. refused traffic is rate-limited per source address and per sender (the partner that signed, or the one
 *    claimed): over the limit the answer is RATE_LIMITED (429 with Retry-After), with nothing signed or recorded;
 * 2. only an envelope whose signature a known partner's pinned certificate verified is evidence worth keeping:
 *    it gets a DOCUMENT_REJECTED ledger entry of bounded size (code, the first few issues truncated, digest,
 *    size, sender). Anything else could come from anyone, so it costs the ledger nothing;
 * 3. the signed error receipt carries the same bounded reason.
 * @example return await refuseEnvelope(deps, error, { header, digest, bytes, signer: undefined, address })
 */
export async function refuseEnvelope(deps: ReceiveDeps, error: CoreError, refused: RefusedEnvelope): Promise<ReceiveAnswer> {
  const { header, digest, signer, address } = refused;
  const from = signer?.id ?? header?.from.gatewayId ?? null;
  const wait = deps.refusals?.take(refusalKeys(deps, refused));
  if (wait !== undefined) {
    deps.onRefused?.({
      code: 'RATE_LIMITED',
      reason: error.code,
      from,
      authenticated: signer !== undefined,
      recorded: false,
      envelopeDigest: digest,
      envelopeBytes: refused.bytes,
      address,
    });
    throw new CoreError('RATE_LIMITED', `too many refused envelopes from this sender or address; retry in ${wait} s`, { retryAfterSeconds: wait });
  }
  const at = deps.clock.now().toISOString();
  const reason = boundedReason(error);
  const [entry] =
    signer === undefined
      ? []
      : await deps.store.commit(
          new ChangeBuilder()
            .event({
              type: 'DOCUMENT_REJECTED',
              subject: header?.messageId ?? digest,
              at,
              data: {
                code: error.code,
                reason,
                issues: error.issues.length,
                from: signer.id,
                documentType: header?.documentType ?? null,
                envelopeDigest: digest,
                envelopeBytes: refused.bytes,
              },
            })
            .build(),
        );
  deps.onRefused?.({
    code: error.code,
    reason,
    from,
    authenticated: signer !== undefined,
    recorded: entry !== undefined,
    envelopeDigest: digest,
    envelopeBytes: refused.bytes,
    address,
  });
  const checkpoint = entry === undefined ? undefined : await deps.checkpoints.covering(entry.index);
  const receipt = await deps.signer.sign(
    writeReceipt({
      receiptId: deps.ids.uuid(),
      ...(header === undefined ? {} : { messageId: header.messageId, to: header.from }),
      from: { gatewayId: deps.self.gatewayId, country: deps.self.country },
      status: 'REJECTED',
      envelopeDigest: digest,
      ...(entry === undefined ? {} : { ledgerIndex: entry.index }),
      ...(checkpoint === undefined ? {} : { checkpoint: checkpoint.note }),
      errors: [{ code: error.code, message: reason }],
      createdAt: at,
    }),
  );
  return { accepted: false, code: error.code, messageId: header?.messageId, receipt };
}

/**
 * The reason of a refusal in at most LISTED_ISSUES issues of ISSUE_CHARACTERS each, and how many more there were.
 * @example boundedReason(new CoreError('VALIDATION_FAILED', '…', { issues })) // '/items/0/hsCode: must be …; … (and 120 more issues)'
 */
export function boundedReason(error: CoreError): string {
  if (error.issues.length === 0) return truncate(error.message);
  const listed = error.issues.slice(0, LISTED_ISSUES).map((issue) => truncate(`${issue.pointer}: ${issue.detail}`));
  const more = error.issues.length - listed.length;
  return listed.join('; ') + (more > 0 ? `; … (and ${more} more issues)` : '');
}

function truncate(text: string): string {
  return text.length <= ISSUE_CHARACTERS ? text : `${text.slice(0, ISSUE_CHARACTERS - 1)}…`;
}

/**
 * The rate-limit keys of a refusal: its source address, and its sender. A sender that did not authenticate is
 * keyed by the gateway id it claims only when that is a known partner (else all share one key), so junk cannot
 * grow the key space, and a forger claiming TH never spends the budget of envelopes TH really signed.
 */
function refusalKeys(deps: ReceiveDeps, refused: RefusedEnvelope): string[] {
  const claimed = refused.header?.from.gatewayId;
  const sender =
    refused.signer !== undefined
      ? `partner:${refused.signer.id}`
      : `claimed:${claimed !== undefined && deps.partners.get(claimed) !== undefined ? claimed : 'unknown'}`;
  return refused.address === undefined ? [sender] : [addressKey(refused.address), sender];
}

/**
 * The rate-limit key of a source address.
 * @example refusals.retryAfter(addressKey('203.0.113.9'))
 */
export function addressKey(address: string): string {
  return `address:${address}`;
}
