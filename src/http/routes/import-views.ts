import { z } from '@hono/zod-openapi';

/** What one certificate requirement found about an import declaration (core/certificate/document-requirement.ts). */
export const RequirementResultView = z
  .object({
    requirement: z.string().openapi({ example: 'form-d-preference' }),
    documentType: z.enum(['FORM_D', 'EPHYTO', 'EAH']),
    state: z.enum(['AWAITED', 'MET', 'NOT_MET']),
    certificateId: z.string().optional(),
    referenceNumber: z.string().optional(),
    detail: z.string(),
    escalation: z.object({ rule: z.string(), channel: z.enum(['YELLOW', 'RED']) }).optional(),
  })
  .openapi('RequirementResult');

/** The ATIGA preference decision (core/certificate/preference-decision.ts). */
export const PreferenceDecisionView = z
  .object({
    formDReference: z.string(),
    issuingCountry: z.string(),
    certificateId: z.string().optional(),
    outcome: z.enum(['GRANTED', 'PARTLY_GRANTED', 'DENIED']),
    lines: z.array(
      z.object({
        line: z.int(),
        hsCode: z.string(),
        quantity: z.number(),
        unit: z.string(),
        outcome: z.enum(['GRANTED', 'DENIED']),
        formDItemNumber: z.int().optional(),
        reasons: z.array(z.string()),
      }),
    ),
    reasons: z.array(z.string()).openapi({ description: 'Reasons that concern the whole e-Form D (box 4)' }),
    decidedAt: z.string(),
  })
  .openapi('PreferenceDecision');
