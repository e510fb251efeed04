import { z } from 'zod';

/**
 * A document type code as envelopes, the API, the CLI and the ledger carry it (design.md 3.4): `ACDD`, `FORM_D`, ….
 * The codes swx knows are the keys of the document table (core/documents/document-table.ts), so that a new type is
 * its module and one line there; this leaf only fixes the shape, and whoever reads a code looks it up in the table.
 */
export const DocumentType = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'must be a document type code such as ACDD or FORM_D (capital letters, digits and _)');
export type DocumentType = z.infer<typeof DocumentType>;
