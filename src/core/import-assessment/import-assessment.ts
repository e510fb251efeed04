import type { Channel } from '../declaration/declaration.js';
import type { CertificateDocumentType } from '../certificate/certificate.js';
import type { PreferenceDecision } from './preference-decision.js';

/**
 * One requirement's finding about a declaration: AWAITED (the certificate has not arrived or is not yet
 * accepted), MET, or NOT_MET (it arrived and does not hold up). A result may raise the clearance channel.
 */
export interface RequirementResult {
  /** The requirement that found it (DocumentRequirement.name). */
  readonly requirement: string;
  readonly documentType: CertificateDocumentType;
  readonly state: 'AWAITED' | 'MET' | 'NOT_MET';
  /** The certificate relied on, once one was found. */
  readonly certificateId?: string;
  readonly referenceNumber?: string;
  readonly detail: string;
  /** The rule raising the channel, and to what (from the rules file). */
  readonly escalation?: { readonly rule: string; readonly channel: Exclude<Channel, 'GREEN'> };
}

/** What swx found about an import declaration's documents, kept beside it and shown on GET /v1/declarations/{id}. */
export interface ImportAssessment {
  readonly declarationId: string;
  readonly requirements: readonly RequirementResult[];
  readonly preference: PreferenceDecision | undefined;
  readonly updatedAt: string;
}
