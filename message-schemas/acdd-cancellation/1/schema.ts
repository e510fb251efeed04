import { z } from 'zod';
import { defineDocumentSpec } from '../../../src/core/document/document-spec.js';
import { Description, Identifier, IsoDateTime } from '../../common/1/common-types.js';

/**
 * Withdraws an ACDD sent earlier, because its export declaration was cancelled.
 * @example AcddCancellation.parse({ exportDeclarationNumber: '326000000011', reason: 'Contract cancelled by the buyer', cancelledAt: '2026-11-21T10:00:00+07:00' })
 */
export const AcddCancellation = z.strictObject({
  exportDeclarationNumber: Identifier,
  reason: Description,
  cancelledAt: IsoDateTime,
});
export type AcddCancellation = z.infer<typeof AcddCancellation>;

/** The cancellation's XML form: `<AcddCancellation xmlns="urn:swx:xsd:acdd-cancellation:1">`. */
export const acddCancellationSpec = defineDocumentSpec({
  documentType: 'ACDD_CANCELLATION',
  rootElement: 'AcddCancellation',
  namespace: 'urn:swx:xsd:acdd-cancellation:1',
  schema: AcddCancellation,
  itemElements: {},
});
