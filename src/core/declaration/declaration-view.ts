import type { Principal } from '../auth/api-key.js';
import { CoreError } from '../errors.js';
import type { ExchangeMessage, ExchangeStore } from '../ports.js';
import type { ChannelReason, Declaration, TimelineStep } from './declaration.js';
import type { RequirementResult } from '../certificate/document-requirement.js';
import type { PreferenceDecision } from '../certificate/preference-decision.js';

/** A document exchanged about a declaration, with where its proof sits in the ledger. */
export interface LinkedMessage {
  readonly messageId: string;
  readonly direction: 'OUT' | 'IN';
  readonly documentType: string;
  readonly partner: string;
  readonly ledgerIndex: number | undefined;
  readonly receipted: boolean;
  readonly createdAt: string;
}

/** What `GET /v1/declarations/{id}` shows: status, channel, linked documents and the timeline. */
export interface DeclarationView {
  readonly id: string;
  readonly declarationNumber: string;
  readonly kind: Declaration['kind'];
  readonly status: Declaration['status'];
  readonly channel: Declaration['channel'];
  readonly channelReasons: readonly ChannelReason[];
  readonly partner: string | null;
  readonly submittedAt: string;
  readonly updatedAt: string;
  readonly documents: readonly LinkedMessage[];
  readonly timeline: readonly TimelineStep[];
  readonly declaration: unknown;
  /** Import declarations: what each certificate requirement found (awaited, met, not met). */
  readonly requirements: readonly RequirementResult[];
  /** Import declarations citing an e-Form D: the ATIGA preference decided line by line, once the e-Form D is here. */
  readonly preference: PreferenceDecision | null;
}

/**
 * A declaration as its reader may see it. A trader sees only its own declarations: another's is "not found",
 * so that its existence does not leak. Officers (and admins) see all.
 * @example const view = await viewDeclaration(store, id, principal)
 */
export async function viewDeclaration(store: ExchangeStore, id: string, reader: Principal): Promise<DeclarationView> {
  const declaration = await store.getDeclaration(id);
  if (!declaration || (reader.role === 'trader' && declaration.partyId !== reader.partyId)) {
    throw new CoreError('NOT_FOUND', `no declaration ${id}`);
  }
  const [timeline, messages, assessment] = await Promise.all([store.getTimeline(id), store.listMessages(id), store.getAssessment(id)]);
  return {
    id: declaration.id,
    declarationNumber: declaration.declarationNumber,
    kind: declaration.kind,
    status: declaration.status,
    channel: declaration.channel,
    channelReasons: declaration.channelReasons,
    partner: declaration.partnerId ?? null,
    submittedAt: declaration.createdAt,
    updatedAt: declaration.updatedAt,
    documents: messages.map(linkOf),
    timeline,
    declaration: declaration.document,
    requirements: assessment?.requirements ?? [],
    preference: assessment?.preference ?? null,
  };
}

function linkOf(message: ExchangeMessage): LinkedMessage {
  return {
    messageId: message.messageId,
    direction: message.direction,
    documentType: message.documentType,
    partner: message.partnerId,
    ledgerIndex: message.ledgerIndex,
    receipted: message.receipt !== undefined,
    createdAt: message.createdAt,
  };
}
