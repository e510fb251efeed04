import type { FormDStatus } from '../../../message-schemas/form-d-status/1/schema.js';
import type { ItemUtilisation } from '../certificate/certificate.js';
import { CoreError } from '../errors.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { InboundContext, InboundRouting } from '../documents/document-descriptor.js';

/**
 * Routes an e-Form D utilisation status from the importing country to the outbound e-Form D it concerns (one we
 * issued, for that country): the certificate takes the status, and each granted line adds to its utilisation.
 * @example const routing = await routeFormDStatus(status, context) // { routedTo: 'VN-MOIT-CO', change: { updateCertificates: [...] } }
 */
export async function routeFormDStatus(status: FormDStatus, context: InboundContext): Promise<InboundRouting> {
  const { deps, partner, at } = context;
  const [certificate] = await deps.store.findCertificates({
    documentType: 'FORM_D',
    direction: 'OUT',
    referenceNumber: status.formDReference,
    issuingCountry: deps.self.country,
  });
  if (!certificate || certificate.importingCountry !== partner.country) {
    const detail = `no e-Form D ${status.formDReference} was issued by ${deps.self.country} for ${partner.country}`;
    throw new CoreError('VALIDATION_FAILED', detail, { issues: [{ pointer: '/formDReference', detail }] });
  }
  const reported: ItemUtilisation[] = status.items.flatMap((item) =>
    item.outcome === 'GRANTED' && item.formDItemNumber !== undefined && item.utilisedQuantity !== undefined
      ? [{ itemNumber: item.formDItemNumber, quantity: item.utilisedQuantity, declarationNumber: status.importDeclarationNumber, at }]
      : [],
  );
  return {
    routedTo: certificate.agencyId,
    change: new ChangeBuilder()
      .updateCertificate({ id: certificate.id, status: status.status, utilisation: [...certificate.utilisation, ...reported], updatedAt: at })
      .build(),
  };
}
