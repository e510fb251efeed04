import { CoreError } from '../errors.js';
import type { DocumentType } from '../document/document-type.js';
import type { InboundContext, InboundRouting } from '../documents/document-descriptor.js';

/**
 * Routes an inbound document to the national agency of our country whose partner file says it receives that
 * document type (partners/vn-customs.json receives ACDD: pre-arrival information). With no such agency the
 * envelope is refused (DOCUMENT_TYPE_NOT_SUPPORTED): swx does not record what it cannot hand to anyone.
 * @example ACDD: inbound(acddSpec, summarise, (acdd, context) => routeToAgency('ACDD', context))
 */
export async function routeToAgency(documentType: DocumentType, context: InboundContext): Promise<InboundRouting> {
  const agency = context.deps.partners
    .list()
    .find(
      (party) =>
        party.kind === 'agency' &&
        party.country === context.deps.self.country &&
        party.documents.receive.some((entry) => entry.type === documentType),
    );
  if (!agency) throw new CoreError('DOCUMENT_TYPE_NOT_SUPPORTED', `no national agency of ${context.deps.self.country} receives ${documentType}`);
  return { routedTo: agency.id };
}
