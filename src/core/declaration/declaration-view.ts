import { z } from 'zod';
import type { Principal } from '../auth/api-key.js';
import { CoreError } from '../errors.js';
import type { ExchangeMessage, ExchangeStore } from '../exchange/exchange-store.js';
import { Channel, DeclarationKind, DeclarationStatus } from './declaration.js';

/** A document exchanged about a declaration, with where its proof sits in the ledger. */
export const LinkedMessage = z
  .object({
    messageId: z.string(),
    direction: z.enum(['OUT', 'IN']),
    documentType: z.string(),
    partner: z.string(),
    ledgerIndex: z.int().optional(),
    receipted: z.boolean(),
    createdAt: z.string(),
  })
  .readonly();
export type LinkedMessage = z.infer<typeof LinkedMessage>;

/** One step of the timeline, with the ledger entry that proves it (TimelineStep). */
export const TimelineStepView = z
  .object({
    ledgerIndex: z.int(),
    type: z.string().meta({ example: 'MESSAGE_DELIVERED' }),
    at: z.string().meta({ format: 'date-time' }),
    messageId: z.string().optional(),
    detail: z.record(z.string(), z.unknown()).readonly(),
  })
  .readonly();

/** What one certificate requirement found about an import declaration (RequirementResult). */
export const RequirementResultView = z
  .object({
    requirement: z.string().meta({ example: 'form-d-preference' }),
    documentType: z.enum(['FORM_D', 'EPHYTO', 'EAH']),
    state: z.enum(['AWAITED', 'MET', 'NOT_MET']),
    certificateId: z.string().optional(),
    referenceNumber: z.string().optional(),
    detail: z.string(),
    escalation: z
      .object({ rule: z.string(), channel: z.enum(['YELLOW', 'RED']) })
      .readonly()
      .optional(),
  })
  .readonly()
  .meta({ id: 'RequirementResult' });

/** The ATIGA preference decision (PreferenceDecision). */
export const PreferenceDecisionView = z
  .object({
    formDReference: z.string(),
    issuingCountry: z.string(),
    certificateId: z.string().optional(),
    outcome: z.enum(['GRANTED', 'PARTLY_GRANTED', 'DENIED']),
    lines: z
      .array(
        z
          .object({
            line: z.int(),
            hsCode: z.string(),
            quantity: z.number(),
            unit: z.string(),
            outcome: z.enum(['GRANTED', 'DENIED']),
            formDItemNumber: z.int().optional(),
            reasons: z.array(z.string()).readonly(),
          })
          .readonly(),
      )
      .readonly(),
    reasons: z.array(z.string()).readonly().meta({ description: 'Reasons that concern the whole e-Form D (box 4)' }),
    decidedAt: z.string(),
  })
  .readonly()
  .meta({ id: 'PreferenceDecision' });

/** What `GET /v1/declarations/{id}` shows: status, channel, linked documents and the timeline. */
export const DeclarationView = z
  .object({
    id: z.string(),
    declarationNumber: z.string(),
    kind: DeclarationKind,
    status: DeclarationStatus,
    channel: Channel,
    channelReasons: z.array(z.object({ rule: z.string(), detail: z.string() }).readonly()).readonly(),
    partner: z.string().nullable(),
    submittedAt: z.string(),
    updatedAt: z.string(),
    documents: z.array(LinkedMessage).readonly(),
    timeline: z.array(TimelineStepView).readonly(),
    declaration: z.unknown(),
    requirements: z.array(RequirementResultView).readonly().meta({ description: 'Import declarations: what each certificate requirement found' }),
    preference: PreferenceDecisionView.nullable().meta({ description: 'Import declarations citing an e-Form D: the ATIGA preference, line by line' }),
  })
  .readonly()
  .meta({ id: 'Declaration' });
export type DeclarationView = z.infer<typeof DeclarationView>;

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
