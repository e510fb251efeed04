import type { FormDStatus } from '../../../message-schemas/form-d-status/1/schema.js';
import type { PreferenceDecision } from '../import-assessment/preference-decision.js';

/**
 * The e-Form D utilisation status (business response) that tells the issuing country what became of its
 * certificate: UTILISED, PARTLY_UTILISED or NOT_ACCEPTED with the box-4 reason, line by line.
 * @example buildFormDStatus(decision, { importingCountry: 'VN', declarationNumber: '126000000126' }).status // 'UTILISED'
 */
export function buildFormDStatus(
  decision: PreferenceDecision,
  context: {
    readonly importingCountry: FormDStatus['importingCountry'];
    readonly declarationNumber: string;
    readonly issuingCountry: FormDStatus['issuingCountry'];
  },
): FormDStatus {
  const status = decision.outcome === 'GRANTED' ? 'UTILISED' : decision.outcome === 'PARTLY_GRANTED' ? 'PARTLY_UTILISED' : 'NOT_ACCEPTED';
  const firstReasons = decision.reasons.length > 0 ? decision.reasons : (decision.lines[0]?.reasons ?? []);
  return {
    formDReference: decision.formDReference,
    issuingCountry: context.issuingCountry,
    importingCountry: context.importingCountry,
    importDeclarationNumber: context.declarationNumber,
    status,
    items: decision.lines.map((line) => ({
      declarationLine: line.line,
      ...(line.formDItemNumber === undefined ? {} : { formDItemNumber: line.formDItemNumber }),
      outcome: line.outcome,
      ...(line.outcome === 'GRANTED' ? { utilisedQuantity: line.quantity } : { reason: clip(line.reasons.join('; ')) }),
    })),
    ...(status === 'NOT_ACCEPTED' ? { reason: clip(firstReasons.join('; ') || 'no declared line matched the e-Form D') } : {}),
    decidedAt: decision.decidedAt,
  };
}

/** Box texts are at most 512 characters. */
function clip(text: string): string {
  return text.length <= 512 ? text : `${text.slice(0, 511)}…`;
}
