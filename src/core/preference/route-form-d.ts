import { formDValidUntil, type FormD } from '../../../message-schemas/form-d/1/schema.js';
import type { Certificate } from '../certificate/certificate.js';
import { reassessAfterCertificate } from '../import-assessment/reassess-after-certificate.js';
import { CoreError } from '../errors.js';
import type { InboundContext, InboundRouting } from '../documents/document-descriptor.js';

/** The national agency an inbound e-Form D concerns: customs, which grants the preferential tariff. */
export const FORM_D_INBOUND_AGENCY = 'VN-CUSTOMS';

/**
 * Routes an e-Form D received from a partner gateway (design.md 1, flow B): it must be issued in the sending
 * gateway's country, for our country, and not received before under another message. It is recorded as an IN
 * certificate (valid 12 months from issue) for customs, and every import declaration awaiting an e-Form D is
 * settled again with it in the same commit: matched ones get their preference decided and the status is sent back.
 * @example const routing = await routeFormD(formD, context) // { routedTo: 'VN-CUSTOMS', change: { insertCertificates: [...], ... } }
 */
export async function routeFormD(formD: FormD, context: InboundContext): Promise<InboundRouting> {
  const { deps, partner, header, at } = context;
  if (formD.issuingCountry !== partner.country) {
    throw invalid('/issuingCountry', `an e-Form D sent by ${partner.id}'s gateway must be issued in ${partner.country}, not ${formD.issuingCountry}`);
  }
  if (formD.importingCountry !== deps.self.country) {
    throw invalid('/importingCountry', `this gateway receives e-Form Ds for ${deps.self.country}, not ${formD.importingCountry}`);
  }
  const [earlier] = await deps.store.findCertificates({
    documentType: 'FORM_D',
    direction: 'IN',
    referenceNumber: formD.referenceNumber,
    issuingCountry: formD.issuingCountry,
  });
  if (earlier) {
    throw new CoreError(
      'DOCUMENT_STATE_CONFLICT',
      `e-Form D ${formD.referenceNumber} from ${formD.issuingCountry} was already received in message ${earlier.messageId ?? '?'}`,
    );
  }
  const certificate: Certificate = {
    id: deps.ids.uuid(),
    documentType: 'FORM_D',
    direction: 'IN',
    referenceNumber: formD.referenceNumber,
    issuingCountry: formD.issuingCountry,
    importingCountry: formD.importingCountry,
    partnerId: partner.id,
    agencyId: FORM_D_INBOUND_AGENCY,
    status: 'RECEIVED',
    document: formD,
    messageId: header.messageId,
    replaces: undefined,
    issueDate: formD.issueDate,
    validUntil: formDValidUntil(formD.issueDate),
    utilisation: [],
    createdAt: at,
    updatedAt: at,
  };
  const { declarationIds, change } = await reassessAfterCertificate(deps, certificate, { stored: false });
  return {
    routedTo: FORM_D_INBOUND_AGENCY,
    ...(declarationIds.length === 1 ? { declarationId: declarationIds[0] } : {}),
    change,
  };
}

function invalid(pointer: string, detail: string): CoreError {
  return new CoreError('VALIDATION_FAILED', `e-Form D not for this gateway: ${detail}`, { issues: [{ pointer, detail }] });
}
