import { replacedCertificateNumber, spsIssueDate, type SpsCertificate } from '../../../message-schemas/common/1/sps-certificate.js';
import type { ChannelRules } from '../clearance/channel-rules.js';
import { CoreError } from '../errors.js';
import type { InboundContext, InboundRouting } from '../documents/document-descriptor.js';
import { ChangeBuilder } from '../exchange/change-builder.js';
import type { Certificate } from './certificate.js';
import { reassessAfterCertificate } from '../import-assessment/reassess-after-certificate.js';
import { reopenRelyingDeclarations } from '../import-assessment/reopen-relying-declarations.js';

/** The competent agency when the rules file names none for the document type. */
const DEFAULT_AGENCIES = { EPHYTO: 'VN-PPD', EAH: 'VN-DAH' } as const;

/**
 * The national agency competent for inbound certificates of a type: the `agency` of the rules file's
 * requiredCertificates rule for it (plant protection for ePhytos, animal health for e-AHs).
 * @example findSpsAgency(rules, 'EPHYTO') // 'VN-PPD'
 */
export function findSpsAgency(rules: ChannelRules, documentType: 'EPHYTO' | 'EAH'): string {
  return (
    rules.requiredCertificates.find((rule) => rule.documentType === documentType && rule.agency !== undefined)?.agency ??
    DEFAULT_AGENCIES[documentType]
  );
}

/**
 * Routes an ePhyto or e-AH received from a partner gateway (design.md 1, flow C) to the competent agency, in the
 * reception's commit:
 * - issued (status 70): recorded as an IN certificate RECEIVED, awaiting the agency's acknowledgement; import
 *   declarations awaiting SPS certificates are assessed again (they now await the agency). A replacement (see
 *   REPLACES_RELATIONSHIP) supersedes the certificate it names, and declarations relying on that one that are not
 *   released wait again (reopen-relying-declarations.ts);
 * - withdrawn (status 40, the withdrawn certificate's own number): the certificate is marked WITHDRAWN, and the
 *   declarations relying on it that are not released wait again.
 * A certificate not issued in the sending gateway's country or not for ours, a number received before, or a
 * withdrawal of a certificate never received is refused with a coded receipt.
 * @example const routing = await routeSpsCertificate('EPHYTO', ephyto, context) // { routedTo: 'VN-PPD', change }
 */
export async function routeSpsCertificate(
  documentType: 'EPHYTO' | 'EAH',
  document: SpsCertificate,
  context: InboundContext,
): Promise<InboundRouting> {
  const { deps, partner, header, at } = context;
  const { exportCountry, importCountry } = document.consignment;
  if (exportCountry.id !== partner.country) {
    throw invalid(
      '/consignment/exportCountry/id',
      `a certificate sent by ${partner.id}'s gateway must be for goods exported from ${partner.country}, not ${exportCountry.id}`,
    );
  }
  if (importCountry.id !== deps.self.country) {
    throw invalid('/consignment/importCountry/id', `this gateway receives certificates for ${deps.self.country}, not ${importCountry.id}`);
  }
  const agency = findSpsAgency(deps.rules, documentType);
  const find = async (referenceNumber: string) =>
    (await deps.store.findCertificates({ documentType, direction: 'IN', referenceNumber, issuingCountry: partner.country }))[0];
  const earlier = await find(document.certificateNumber);

  if (document.statusCode === '40') {
    if (earlier === undefined)
      throw invalid('/certificateNumber', `no ${documentType} ${document.certificateNumber} from ${partner.country} was received to withdraw`);
    if (earlier.status === 'WITHDRAWN' || earlier.status === 'SUPERSEDED') {
      throw new CoreError('DOCUMENT_STATE_CONFLICT', `${documentType} ${document.certificateNumber} is already ${earlier.status.toLowerCase()}`);
    }
    const note = document.notes.find((candidate) => candidate.contents.length > 0)?.contents[0];
    const withdrawn: Certificate = { ...earlier, status: 'WITHDRAWN', updatedAt: at };
    const detail = `${documentType} ${earlier.referenceNumber} withdrawn by ${partner.country}${note === undefined ? '' : `: ${note}`}`;
    const reopened = await reopenRelyingDeclarations(deps, withdrawn, { type: 'CERTIFICATE_WITHDRAWN', detail });
    const change = new ChangeBuilder().updateCertificate({ id: earlier.id, status: 'WITHDRAWN', updatedAt: at, expectedStatus: earlier.status });
    return { routedTo: agency, change: change.include(reopened).build() };
  }

  if (earlier !== undefined) {
    throw new CoreError(
      'DOCUMENT_STATE_CONFLICT',
      `${documentType} ${document.certificateNumber} from ${partner.country} was already received in message ${earlier.messageId ?? '?'}`,
    );
  }
  const replacedNumber = replacedCertificateNumber(document);
  const replaced = replacedNumber === undefined ? undefined : await find(replacedNumber);
  const live = replaced !== undefined && replaced.status !== 'WITHDRAWN' && replaced.status !== 'SUPERSEDED' ? replaced : undefined;
  const certificate: Certificate = {
    id: deps.ids.uuid(),
    documentType,
    direction: 'IN',
    referenceNumber: document.certificateNumber,
    issuingCountry: partner.country,
    importingCountry: importCountry.id,
    partnerId: partner.id,
    agencyId: agency,
    status: 'RECEIVED',
    document,
    messageId: header.messageId,
    replaces: replaced?.id,
    issueDate: spsIssueDate(document.issuedAt) ?? document.issuedAt,
    validUntil: undefined,
    utilisation: [],
    ...(context.payloadSignature === undefined ? {} : { issuerSignature: context.payloadSignature }),
    createdAt: at,
    updatedAt: at,
  };
  const change = new ChangeBuilder();
  if (live !== undefined) {
    const superseded: Certificate = { ...live, status: 'SUPERSEDED', updatedAt: at };
    const detail = `${documentType} ${live.referenceNumber} replaced by ${document.certificateNumber} from ${partner.country}`;
    change
      .updateCertificate({ id: live.id, status: 'SUPERSEDED', updatedAt: at, expectedStatus: live.status })
      .include(await reopenRelyingDeclarations(deps, superseded, { type: 'CERTIFICATE_REPLACED', detail }, [certificate]));
  }
  const assessed = await reassessAfterCertificate(deps, certificate, { stored: false });
  return {
    routedTo: agency,
    ...(assessed.declarationIds.length === 1 ? { declarationId: assessed.declarationIds[0] } : {}),
    change: change.include(assessed.change).build(),
  };
}

function invalid(pointer: string, detail: string): CoreError {
  return new CoreError('VALIDATION_FAILED', `SPS certificate not accepted: ${detail}`, { issues: [{ pointer, detail }] });
}
