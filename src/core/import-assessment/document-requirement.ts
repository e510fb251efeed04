import type { ImportDeclaration } from '../../../message-schemas/import-declaration/1/schema.js';
import type { ChannelRules } from '../clearance/channel-rules.js';
import type { ExchangeChange, ExchangeStore } from '../exchange/exchange-store.js';
import type { PartnerDirectory } from '../partner.js';
import type { SealDeps } from '../exchange/seal-outbound-message.js';
import type { Certificate, CertificateDocumentType } from '../certificate/certificate.js';
import type { RequirementResult } from './import-assessment.js';
import type { PreferenceDecision } from './preference-decision.js';

/** A declaration being assessed, as requirements see it. */
export interface AssessedDeclaration {
  readonly id: string;
  readonly declarationNumber: string;
  readonly partyId: string;
  readonly document: ImportDeclaration;
  /** When it was lodged (ISO 8601): the date certificates' validity is judged at. */
  readonly lodgedAt: string;
}

export interface RequirementInput {
  readonly declaration: AssessedDeclaration;
  readonly rules: ChannelRules;
  /** What `candidates` loaded, with certificates not yet committed (the one arriving) in their place. */
  readonly certificates: readonly Certificate[];
  /** The gateway's own country: the importing country of every inbound certificate. */
  readonly country: string;
  readonly at: string;
}

/** What a requirement found: its results, the preference decision (e-Form D), and the certificates it used up. */
export interface RequirementOutcome {
  readonly results: readonly RequirementResult[];
  readonly preference?: PreferenceDecision;
  /** Certificates whose utilisation (or status) the decision changed, as they are after it. */
  readonly certificates?: readonly Certificate[];
}

/** What requirements may use to act on a decision: sign and queue a business response. */
export interface RequirementDeps extends SealDeps {
  readonly store: ExchangeStore;
  readonly partners: PartnerDirectory;
  readonly rules: ChannelRules;
}

/**
 * A kind of document an import declaration may depend on, plugged into the assessment (document-requirements.ts).
 * Once a requirement's results hold no AWAITED, they are final: it is not evaluated again for that declaration.
 * @example export const formDRequirement: DocumentRequirement = { name: 'form-d-preference', documentTypes: ['FORM_D'], ... }
 */
export interface DocumentRequirement {
  /** Kebab-case, stable: results and the ledger name it. */
  readonly name: string;
  /** The certificate types whose arrival or change may settle it. */
  readonly documentTypes: readonly CertificateDocumentType[];
  /** Whether the declaration is concerned at all (e.g. it cites an e-Form D; it holds goods of listed HS chapters). */
  applies(declaration: ImportDeclaration, rules: ChannelRules): boolean;
  /**
   * Keys shared by this declaration and any certificate that could settle it (e.g. `FORM_D|<reference>`): a commit
   * that read them fails if another commit touched them meanwhile, so neither side misses the other.
   */
  guardKeys(declaration: ImportDeclaration): readonly string[];
  /** The same keys seen from a certificate. */
  certificateGuardKeys(certificate: Certificate): readonly string[];
  /** Loads the certificates the declaration may rely on. */
  candidates(store: ExchangeStore, declaration: ImportDeclaration): Promise<readonly Certificate[]>;
  /** Pure: what the certificates say about the declaration. */
  evaluate(input: RequirementInput): RequirementOutcome;
  /** What a final outcome sends or records beyond the assessment (events bound to the declaration, messages). */
  effects?(deps: RequirementDeps, declaration: AssessedDeclaration, outcome: RequirementOutcome, at: string): Promise<ExchangeChange>;
}
