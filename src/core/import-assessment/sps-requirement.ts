import type { DocumentRequirement } from './document-requirement.js';
import type { RequirementResult } from './import-assessment.js';
import { assessSpsNeed, listSpsNeeds } from './sps-match.js';

const NAME = 'sps-certificates';

/**
 * One guard for every SPS certificate and every declaration needing one: a declaration lodged while a certificate
 * is recorded (or acknowledged) cannot miss it, whichever commits first.
 */
const GUARD = 'SPS';

/**
 * Import declarations holding goods of the HS chapters the rules file lists with an ePhyto or e-AH (design.md 1,
 * flow C): AWAITED until a matching certificate (sps-match.ts) arrives from the exporting country and the competent
 * agency (VN-PPD, VN-DAH) accepts it; NOT_MET, raising the rule's channel with the agency's reason, when it rejects
 * it or the cited certificate does not fit the declaration.
 */
export const spsRequirement: DocumentRequirement = {
  name: NAME,
  documentTypes: ['EPHYTO', 'EAH'],
  applies: (declaration, rules) => listSpsNeeds(declaration, rules).length > 0,
  guardKeys: () => [GUARD],
  certificateGuardKeys: (certificate) => (certificate.documentType === 'EPHYTO' || certificate.documentType === 'EAH' ? [GUARD] : []),
  candidates: async (store) => {
    const statuses = ['RECEIVED', 'ACCEPTED', 'REJECTED'] as const;
    const [ephytos, eahs] = await Promise.all([
      store.listCertificates({ documentType: 'EPHYTO', direction: 'IN', statuses }),
      store.listCertificates({ documentType: 'EAH', direction: 'IN', statuses }),
    ]);
    return [...ephytos, ...eahs];
  },
  evaluate: ({ declaration, rules, certificates, country }) => ({
    results: listSpsNeeds(declaration.document, rules).flatMap((need) =>
      assessSpsNeed(declaration.document, need, certificates, country).map(
        (finding): RequirementResult => ({
          requirement: NAME,
          documentType: need.rule.documentType,
          state: finding.state,
          ...(finding.certificate === undefined
            ? {}
            : { certificateId: finding.certificate.id, referenceNumber: finding.certificate.referenceNumber }),
          detail: finding.detail,
          ...(finding.state === 'NOT_MET' ? { escalation: { rule: need.rule.id, channel: need.rule.channel } } : {}),
        }),
      ),
    ),
  }),
};
