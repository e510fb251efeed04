import { z } from 'zod';

/** Where a declaration stands. Green declarations with all documents in place are released automatically. */
export const DeclarationStatus = z.enum(['AWAITING_DOCUMENTS', 'UNDER_REVIEW', 'INSPECTION', 'HELD', 'RELEASED', 'REJECTED', 'CANCELLED']);
export type DeclarationStatus = z.infer<typeof DeclarationStatus>;

/** The clearance channel: green released automatically, yellow documentary check, red documentary and physical. */
export const Channel = z.enum(['GREEN', 'YELLOW', 'RED']);
export type Channel = z.infer<typeof Channel>;

export const DeclarationKind = z.enum(['EXPORT', 'IMPORT']);
export type DeclarationKind = z.infer<typeof DeclarationKind>;

export interface ChannelReason {
  readonly rule: string;
  readonly detail: string;
}

/** A declaration as swx holds it: the trader's document, once, and what swx decided about it. */
export interface Declaration {
  readonly id: string;
  readonly declarationNumber: string;
  readonly kind: DeclarationKind;
  readonly partyId: string;
  readonly status: DeclarationStatus;
  readonly channel: Channel;
  readonly channelReasons: readonly ChannelReason[];
  readonly partnerId: string | undefined;
  readonly document: unknown;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One step of a declaration's history, with the ledger entry that proves it. */
export interface TimelineStep {
  readonly ledgerIndex: number;
  readonly type: string;
  readonly at: string;
  readonly messageId: string | undefined;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The answer to an accepted submission (202), also what an idempotent replay returns. */
export const SubmissionAnswer = z
  .object({
    id: z.string().meta({ description: 'The declaration id swx assigned' }),
    declarationNumber: z.string().meta({ example: '326000000011', description: '12-digit customs declaration number' }),
    status: DeclarationStatus,
    channel: Channel,
    ledgerIndex: z.int().meta({ description: 'Index of the ledger entry recording the acceptance' }),
  })
  .readonly()
  .meta({ id: 'SubmissionAnswer' });
export type SubmissionAnswer = z.infer<typeof SubmissionAnswer>;

/** The status a newly accepted declaration takes from its channel. */
export function initialStatus(channel: Channel): DeclarationStatus {
  return channel === 'GREEN' ? 'RELEASED' : 'UNDER_REVIEW';
}
