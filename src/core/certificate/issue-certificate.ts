import { z } from 'zod';
import type { Principal } from '../auth/api-key.js';
import { CoreError } from '../errors.js';
import { type SealDeps, sealOutboundMessage } from '../exchange/seal-outbound-message.js';
import type { LedgerEvent } from '../ledger/entry.js';
import type { AgencyPartner as Agency, PartnerDirectory } from '../partner.js';
import type { ExchangeStore } from '../exchange/exchange-store.js';
import { ChangeBuilder, findLedgerIndex } from '../exchange/change-builder.js';
import type { ParsedXml } from '../xml/parsed-xml.js';
import { CertificateDocumentType, CertificateStatus, type Certificate } from './certificate.js';
import { findCertificateIssuer, codecForRoot, ISSUED_DOCUMENT_TYPES } from '../documents/document-table.js';

export interface IssueCertificateDeps extends SealDeps {
  readonly store: ExchangeStore;
  readonly partners: PartnerDirectory;
}

/** A certificate as an agency sends it: JSON (parsed) or XML (parsed), and the type it names, if any. */
export type CertificateSubmission =
  | { readonly kind: 'json'; readonly value: unknown; readonly documentType: string | undefined }
  | { readonly kind: 'xml'; readonly xml: ParsedXml; readonly documentType: string | undefined };

/** The answer to an issued certificate (202). */
export const IssuedCertificate = z
  .object({
    id: z.string(),
    documentType: CertificateDocumentType,
    referenceNumber: z.string(),
    status: CertificateStatus,
    partner: z.string().meta({ description: 'The importing country’s gateway it is routed to' }),
    messageId: z.string().meta({ description: 'The signed envelope queued for the partner' }),
    ledgerIndex: z.int().meta({ description: 'Index of the CERTIFICATE_ISSUED ledger entry' }),
  })
  .readonly()
  .meta({ id: 'IssuedCertificate' });
export type IssuedCertificate = z.infer<typeof IssuedCertificate>;

/**
 * Issues an outbound certificate for a national agency (design.md 1: the trade ministry's e-Form D, plant
 * protection's ePhyto, animal health's e-AH).
 * 1. The type: `documentType` if named, else the XML root's, else the agency's one type; an agency issues only the
 *    types its partners/ file lets it send (403 otherwise).
 * 2. Validate the document (422 lists every field); it must be issued in our country.
 * 3. The importing country's gateway must exist and receive the type (422), and be live (409); the reference must
 *    not have been issued before (409).
 * 4. Sign the envelope and commit the certificate (ISSUED), CERTIFICATE_ISSUED, DOCUMENT_SIGNED, MESSAGE_QUEUED and
 *    the outbox row in one transaction.
 * `requestId`: the HTTP request's id, which the certificate's deliveries send as X-Request-Id.
 * @example const issued = await issueCertificate(deps, principal, { kind: 'json', value: formD, documentType: undefined }, c.var.requestId)
 */
export async function issueCertificate(
  deps: IssueCertificateDeps,
  principal: Principal,
  submission: CertificateSubmission,
  requestId?: string,
): Promise<IssuedCertificate> {
  const agency = deps.partners.get(principal.partyId);
  if (agency?.kind !== 'agency') throw new CoreError('FORBIDDEN', `${principal.partyId} is not a national agency in partners/`);
  const documentType = typeOf(agency, submission);
  const issuer = findCertificateIssuer(documentType);
  if (!issuer) throw new CoreError('DOCUMENT_TYPE_NOT_SUPPORTED', `swx does not issue ${documentType} certificates yet`);
  const document = submission.kind === 'json' ? issuer.codec.validate(submission.value) : issuer.codec.read(submission.xml);
  const facts = issuer.facts(document);
  if (facts.issuingCountry !== deps.self.country) {
    throw new CoreError('VALIDATION_FAILED', 'not issued here', {
      issues: [
        {
          pointer: '/issuingCountry',
          detail: `certificates issued through this gateway are issued in ${deps.self.country}, not ${facts.issuingCountry}`,
        },
      ],
    });
  }
  const partner = deps.partners.gatewayFor(facts.importingCountry);
  if (!partner) throw new CoreError('DOCUMENT_TYPE_NOT_SUPPORTED', `no partner gateway for ${facts.importingCountry}`);
  if (!partner.documents.receive.some((entry) => entry.type === documentType)) {
    throw new CoreError('DOCUMENT_TYPE_NOT_SUPPORTED', `${partner.id}'s gateway does not receive ${documentType}`);
  }
  if (partner.state !== 'live')
    throw new CoreError('PARTNER_NOT_LIVE', `${partner.id}'s gateway is ${partner.state}, not live: nothing can be sent to it yet`);
  const earlier = await deps.store.findCertificates({
    documentType,
    direction: 'OUT',
    referenceNumber: facts.referenceNumber,
    issuingCountry: facts.issuingCountry,
  });
  if (earlier.length > 0)
    throw new CoreError('DOCUMENT_STATE_CONFLICT', `${documentType} ${facts.referenceNumber} was already issued (certificate ${earlier[0]?.id})`);

  const id = deps.ids.uuid();
  const at = deps.clock.now().toISOString();
  const sealed = await sealOutboundMessage(deps, {
    partner: { gatewayId: partner.id, country: partner.country },
    documentType,
    action: 'SUBMIT',
    bodyXml: issuer.codec.write(document),
  });
  const issued: LedgerEvent = {
    type: 'CERTIFICATE_ISSUED',
    subject: id,
    at,
    data: {
      documentType,
      agency: agency.id,
      referenceNumber: facts.referenceNumber,
      importingCountry: facts.importingCountry,
      messageId: sealed.message.messageId,
      ...facts.summary,
    },
  };
  const certificate: Certificate = {
    id,
    documentType,
    direction: 'OUT',
    referenceNumber: facts.referenceNumber,
    issuingCountry: facts.issuingCountry,
    importingCountry: facts.importingCountry,
    partnerId: partner.id,
    agencyId: agency.id,
    status: 'ISSUED',
    document,
    messageId: sealed.message.messageId,
    replaces: undefined,
    issueDate: facts.issueDate,
    validUntil: facts.validUntil,
    utilisation: [],
    createdAt: at,
    updatedAt: at,
  };
  const change = new ChangeBuilder()
    .event(issued, { messageId: sealed.message.messageId, label: 'issued' })
    .queue(sealed, { notBefore: Date.parse(at) })
    .requestedBy(requestId)
    .insertCertificate(certificate)
    .build();
  const ledgerIndex = findLedgerIndex(change, await deps.store.commit(change), 'issued');
  return {
    id,
    documentType,
    referenceNumber: facts.referenceNumber,
    status: 'ISSUED',
    partner: partner.id,
    messageId: sealed.message.messageId,
    ledgerIndex,
  };
}

/** The certificate types an agency may issue: those of its partners/ file's `send` list. */
export function listIssuableTypes(agency: Agency): CertificateDocumentType[] {
  return agency.documents.send.flatMap((entry) => {
    const parsed = CertificateDocumentType.safeParse(entry.type);
    return parsed.success ? [parsed.data] : [];
  });
}

function typeOf(agency: Agency, submission: CertificateSubmission): CertificateDocumentType {
  const domain = listIssuableTypes(agency);
  let named: string | undefined = submission.documentType;
  if (named === undefined && submission.kind === 'xml') {
    // ePhyto and e-AH share their root (SPSCertificate): the agency's own type first.
    const { root, namespace } = submission.xml;
    named = (
      codecForRoot(
        root,
        namespace,
        ISSUED_DOCUMENT_TYPES.filter((type) => domain.some((own) => own === type)),
      ) ?? codecForRoot(root, namespace, ISSUED_DOCUMENT_TYPES)
    )?.documentType;
  }
  if (named === undefined) {
    if (domain.length !== 1)
      throw new CoreError('VALIDATION_FAILED', 'name the certificate type', {
        issues: [{ pointer: '', detail: `name the type with ?documentType= (one of ${domain.join(', ')})` }],
      });
    return domain[0] as CertificateDocumentType;
  }
  const parsed = CertificateDocumentType.safeParse(named);
  if (!parsed.success) throw new CoreError('DOCUMENT_TYPE_NOT_SUPPORTED', `${named} is not a certificate type (FORM_D, EPHYTO, EAH)`);
  if (!domain.includes(parsed.data)) {
    throw new CoreError('FORBIDDEN', `${agency.id} issues ${domain.join(', ') || 'no certificates'}, not ${parsed.data}`);
  }
  return parsed.data;
}
