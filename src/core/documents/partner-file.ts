import { Partner } from '../partner.js';
import { DOCUMENT_TYPES, findDocument } from './document-table.js';

/**
 * A partner file (`partners/<id>.json`) as swx reads it: a Partner whose listed document types are all in the
 * document table (partner.ts only fixes the shape of a type code, so that the table can import it).
 * @example PartnerFile.safeParse(JSON.parse(readFileSync('partners/th.json', 'utf8')))
 */
export const PartnerFile = Partner.superRefine((partner, ctx) => {
  for (const direction of ['send', 'receive'] as const) {
    partner.documents[direction].forEach((entry, index) => {
      if (findDocument(entry.type) !== undefined) return;
      ctx.addIssue({
        code: 'custom',
        path: ['documents', direction, index, 'type'],
        message: `unknown document type ${entry.type} (known: ${DOCUMENT_TYPES.join(', ')})`,
      });
    });
  }
});
