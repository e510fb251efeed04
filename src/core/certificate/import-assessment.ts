import type { RequirementResult } from './document-requirement.js';
import type { PreferenceDecision } from './preference-decision.js';

/** What swx found about an import declaration's documents, kept beside it and shown on GET /v1/declarations/{id}. */
export interface ImportAssessment {
  readonly declarationId: string;
  readonly requirements: readonly RequirementResult[];
  readonly preference: PreferenceDecision | undefined;
  readonly updatedAt: string;
}
