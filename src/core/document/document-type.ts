import { z } from 'zod';

/** The document type codes used in envelopes, the API, the CLI and the ledger (design.md 3.4). */
export const DocumentType = z.enum([
  'EXPORT_DECLARATION',
  'IMPORT_DECLARATION',
  'ACDD',
  'ACDD_CANCELLATION',
  'CUSTOMS_RESPONSE',
  'FORM_D',
  'FORM_D_STATUS',
  'EPHYTO',
  'EAH',
  'SPS_ACK',
]);
export type DocumentType = z.infer<typeof DocumentType>;
