import { formDStatusSpec } from '../../../message-schemas/form-d-status/1/schema.js';
import type { ImportDeclaration, PreferenceClaim } from '../../../message-schemas/import-declaration/1/schema.js';
import type { Certificate } from '../certificate/certificate.js';
import type { DocumentRequirement } from '../import-assessment/document-requirement.js';
import type { RequirementResult } from '../import-assessment/import-assessment.js';
import type { PreferenceDecision } from '../import-assessment/preference-decision.js';
import { encodeDocumentXml } from '../document/xml-mapping.js';
import { sealOutboundMessage } from '../exchange/seal-outbound-message.js';
import type { JsonObject } from '../ledger/entry.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import { buildFormDStatus } from './build-form-d-status.js';
import { decidePreference } from './decide-preference.js';

const NAME = 'form-d-preference';

/** The guard shared by a declaration citing an e-Form D and the e-Form D: its reference number. */
function guardKey(reference: string): string {
  return `FORM_D|${reference}`;
}

function claimOf(declaration: ImportDeclaration): PreferenceClaim | undefined {
  return declaration.preference;
}

/**
 * The ATIGA preference claim of an import declaration citing an e-Form D: AWAITED until the e-Form D arrives from
 * a partner gateway, then decided line by line (decide-preference.ts): MET when granted in whole or in part, NOT_MET
 * when denied; denial and partial grant raise the channel per the rules' preferenceOutcomes. The decision is
 * recorded (PREFERENCE_DECIDED) and the utilisation status sent back to the issuing country.
 */
export const formDRequirement: DocumentRequirement = {
  name: NAME,
  documentTypes: ['FORM_D'],
  applies: (declaration) => claimOf(declaration) !== undefined,
  guardKeys: (declaration) => {
    const claim = claimOf(declaration);
    return claim === undefined ? [] : [guardKey(claim.formDReference)];
  },
  certificateGuardKeys: (certificate) => (certificate.documentType === 'FORM_D' ? [guardKey(certificate.referenceNumber)] : []),
  candidates: async (store, declaration) => {
    const claim = claimOf(declaration);
    if (claim === undefined) return [];
    return store.findCertificates({ documentType: 'FORM_D', direction: 'IN', referenceNumber: claim.formDReference });
  },
  evaluate: ({ declaration, rules, certificates, country, at }) => {
    const claim = claimOf(declaration.document);
    if (claim === undefined) return { results: [] };
    const received = certificates.filter(
      (certificate) =>
        certificate.documentType === 'FORM_D' && certificate.direction === 'IN' && certificate.referenceNumber === claim.formDReference,
    );
    const certificate = received.find((candidate) => candidate.issuingCountry === claim.issuingCountry) ?? received[0];
    const base = { requirement: NAME, documentType: 'FORM_D' as const, referenceNumber: claim.formDReference };
    if (certificate === undefined) {
      return { results: [{ ...base, state: 'AWAITED', detail: `awaiting e-Form D ${claim.formDReference} from ${claim.issuingCountry}` }] };
    }
    const { decision, utilisation } = decidePreference(
      {
        id: declaration.id,
        declarationNumber: declaration.declarationNumber,
        document: { ...declaration.document, preference: claim },
        lodgedOn: declaration.lodgedAt.slice(0, 10),
        country,
      },
      certificate,
      at,
    );
    const rule = (rules.preferenceOutcomes ?? []).find((candidate) => candidate.outcome === decision.outcome);
    const granted = decision.lines.filter((line) => line.outcome === 'GRANTED').length;
    const result: RequirementResult = {
      ...base,
      state: decision.outcome === 'DENIED' ? 'NOT_MET' : 'MET',
      certificateId: certificate.id,
      detail: `ATIGA preference ${decision.outcome.toLowerCase().replace('_', ' ')} under e-Form D ${claim.formDReference}: ${granted} of ${decision.lines.length} lines`,
      ...(rule === undefined ? {} : { escalation: { rule: rule.id, channel: rule.channel } }),
    };
    const used: Certificate = { ...certificate, utilisation: [...certificate.utilisation, ...utilisation], updatedAt: at };
    return { results: [result], preference: decision, certificates: [used] };
  },
  effects: async (deps, declaration, outcome, at) => {
    const decision = outcome.preference;
    const certificateId = outcome.results[0]?.certificateId;
    const change = new ChangeBuilder();
    if (decision === undefined || certificateId === undefined) return change.build();
    change.event({ type: 'PREFERENCE_DECIDED', subject: declaration.id, at, data: decisionData(decision) }, { declarationId: declaration.id });
    const certificate = (outcome.certificates ?? []).find((candidate) => candidate.id === certificateId);
    const partner = certificate === undefined ? undefined : deps.partners.gatewayFor(certificate.partnerId);
    const receives = partner?.state === 'live' && partner.documents.receive.some((entry) => entry.type === 'FORM_D_STATUS');
    if (!partner || !receives) return change.build();
    const status = buildFormDStatus(decision, {
      importingCountry: deps.self.country,
      declarationNumber: declaration.declarationNumber,
      issuingCountry: partner.country,
    });
    const sealed = await sealOutboundMessage(deps, {
      partner: { gatewayId: partner.id, country: partner.country },
      documentType: 'FORM_D_STATUS',
      action: 'RESPOND',
      bodyXml: encodeDocumentXml(formDStatusSpec, status),
      declarationId: declaration.id,
      ...(certificate?.messageId === undefined ? {} : { refTo: certificate.messageId }),
    });
    return change.queue(sealed, { declarationId: declaration.id, notBefore: Date.parse(at) }).build();
  },
};

function decisionData(decision: PreferenceDecision): JsonObject {
  return {
    formDReference: decision.formDReference,
    issuingCountry: decision.issuingCountry,
    certificateId: decision.certificateId ?? null,
    outcome: decision.outcome,
    reasons: [...decision.reasons],
    lines: decision.lines.map((line) => ({
      line: line.line,
      hsCode: line.hsCode,
      outcome: line.outcome,
      formDItemNumber: line.formDItemNumber ?? null,
      reasons: [...line.reasons],
    })),
  };
}
