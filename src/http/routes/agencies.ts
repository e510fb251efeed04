import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { FormD } from '../../../message-schemas/form-d/1/schema.js';
import type { Principal } from '../../core/auth/api-key.js';
import { CertificateDocumentType, CertificateStatus } from '../../core/certificate/certificate.js';
import { findCertificateIssuer } from '../../core/documents/document-table.js';
import { CertificateView, viewCertificate } from '../../core/certificate/certificate-view.js';
import { listIssuableTypes, IssuedCertificate, issueCertificate, type CertificateSubmission } from '../../core/certificate/issue-certificate.js';
import { CoreError, isCoreError } from '../../core/errors.js';
import type { PartnerDirectory } from '../../core/partner.js';
import {
  acknowledgeSpsCertificate,
  answerSpsAcknowledgement,
  SpsAcknowledgement,
  SpsDecision,
} from '../../core/certificate/acknowledge-sps-certificate.js';
import { CertificatePage, listCertificates } from '../../core/certificate/list-certificates.js';
import { decodeCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../core/clearance/clearance-search.js';
import type { AppDeps, AuthedEnv } from '../deps.js';
import { documentRequestBody, readDocumentBody } from '../document-body.js';
import { requireRole } from '../middleware/require-role.js';
import { problemResponses } from '../problem.js';

const CertificateType = z.enum(['FORM_D', 'EPHYTO', 'EAH']);

const IssueQuery = z.object({
  documentType: CertificateType.optional().openapi({
    param: { name: 'documentType', in: 'query' },
    description: 'The certificate type; by default the XML root’s, else the agency’s own one type (VN-MOIT-CO: FORM_D)',
  }),
});

const CertificateId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const CertificateListQuery = z.object({
  documentType: CertificateType.optional().openapi({ param: { name: 'documentType', in: 'query' } }),
  direction: z
    .enum(['IN', 'OUT'])
    .default('IN')
    .openapi({ param: { name: 'direction', in: 'query' } }),
  status: CertificateStatus.optional().openapi({
    param: { name: 'status', in: 'query' },
    description: 'RECEIVED: awaiting the agency’s acknowledgement',
  }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' }, description: 'The nextCursor of the previous page' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ param: { name: 'limit', in: 'query' }, description: `Page size, at most ${MAX_PAGE_SIZE}` }),
});

/**
 * The national agencies' group, mounted at `/v1`: issue outbound certificates (the trade ministry's e-Form D; plant
 * protection's ePhyto and animal health's e-AH) and follow them; officers may read any certificate too.
 * An agency's partyId is its partners/ id (VN-MOIT-CO, VN-PPD, VN-DAH).
 * @example app.route('/v1', agencyRoutes(deps))
 */
export function agencyRoutes(deps: AppDeps): OpenAPIHono<AuthedEnv> {
  const agencies = new OpenAPIHono<AuthedEnv>();

  const issue = createRoute({
    method: 'post',
    path: '/certificates',
    operationId: 'issueCertificate',
    tags: ['agencies'],
    summary: 'Issue an outbound certificate (JSON or XML): swx validates, signs and routes it to the importing country’s gateway',
    middleware: requireRole('agency'),
    request: {
      query: IssueQuery,
      body: documentRequestBody(agencies, 'FormD', FormD, 'message-schemas/form-d/1/form-d.xsd', {
        json: ['form-d/1/examples/valid-vn-coffee-to-thailand.json'],
        xml: ['form-d/1/examples/valid-vn-coffee-to-thailand.xml'],
      }),
    },
    responses: {
      202: {
        description: 'Signed, recorded in the ledger and queued for the partner gateway',
        content: { 'application/json': { schema: IssuedCertificate } },
      },
      ...problemResponses(400, 401, 403, 409, 413, 415, 422),
    },
  });
  agencies.openapi(issue, async (c) => {
    const documentType = c.req.valid('query').documentType;
    const body = await readDocumentBody<CertificateSubmission, AuthedEnv>(c, {
      json: (value) => ({ kind: 'json', value, documentType }),
      xml: (xml) => ({ kind: 'xml', xml, documentType }),
    });
    const issued = await issueCertificate(deps, c.var.principal, body.document, c.var.requestId).catch((error: unknown) => {
      // JSON names no type: a document invalid as the agency's own type may be another domain's certificate.
      if (body.document.kind !== 'json' || documentType !== undefined || !isCoreError(error, 'VALIDATION_FAILED')) throw error;
      throw refusedAsOtherDomain(deps.partners, c.var.principal, body.document.value) ?? error;
    });
    deps.notifyQueued();
    return c.json(issued, 202);
  });

  const read = createRoute({
    method: 'get',
    path: '/certificates/{id}',
    operationId: 'getCertificate',
    tags: ['agencies'],
    summary: 'A certificate: status, signed envelope, delivery, receipt, the partner’s responses and utilisation',
    middleware: requireRole('agency', 'officer', 'admin'),
    request: { params: CertificateId },
    responses: {
      200: { description: 'The certificate', content: { 'application/json': { schema: CertificateView } } },
      ...problemResponses(401, 403, 404),
    },
  });
  agencies.openapi(read, async (c) => {
    const view = await viewCertificate(deps.store, c.req.valid('param').id, c.var.principal);
    return c.json(view, 200);
  });

  const list = createRoute({
    method: 'get',
    path: '/certificates',
    operationId: 'listCertificates',
    tags: ['agencies'],
    summary:
      'Certificates, newest first, a page at a time: an agency’s own (e.g. the inbound ePhytos awaiting its acknowledgement), all for officers',
    middleware: requireRole('agency', 'officer', 'admin'),
    request: { query: CertificateListQuery },
    responses: {
      200: { description: 'One page of certificates', content: { 'application/json': { schema: CertificatePage } } },
      ...problemResponses(400, 401, 403, 422),
    },
  });
  agencies.openapi(list, async (c) => {
    const { documentType, direction, status, cursor, limit } = c.req.valid('query');
    const page = await listCertificates(deps.store, c.var.principal, {
      direction,
      limit,
      ...(documentType === undefined ? {} : { documentType }),
      ...(status === undefined ? {} : { status }),
      ...(cursor === undefined ? {} : { after: decodeCursor(cursor) }),
    });
    return c.json(page, 200);
  });

  const acknowledge = createRoute({
    method: 'post',
    path: '/certificates/{id}/acknowledgement',
    operationId: 'acknowledgeCertificate',
    tags: ['agencies'],
    summary: 'Accept or reject an inbound ePhyto (VN-PPD) or e-AH (VN-DAH): the SPS acknowledgement goes back to the issuing country',
    middleware: requireRole('agency'),
    request: { params: CertificateId, body: { content: { 'application/json': { schema: SpsDecision } }, required: true } },
    responses: {
      200: {
        description: 'Recorded in the ledger, the SPS acknowledgement queued, awaiting declarations settled',
        content: { 'application/json': { schema: SpsAcknowledgement } },
      },
      ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    },
  });
  agencies.openapi(acknowledge, async (c) => {
    const done = await acknowledgeSpsCertificate(deps, c.var.principal.partyId, c.req.valid('param').id, c.req.valid('json'), c.var.requestId);
    deps.notifyQueued();
    return c.json(answerSpsAcknowledgement(done), 200);
  });

  return agencies;
}

/**
 * FORBIDDEN (403) when a JSON document is a valid certificate of a type outside the agency's domain and of none inside
 * it, as the same document in XML is refused by its root element; undefined otherwise (the 422 stands).
 */
function refusedAsOtherDomain(partners: PartnerDirectory, principal: Principal, value: unknown): CoreError | undefined {
  const agency = partners.get(principal.partyId);
  if (agency?.kind !== 'agency') return undefined;
  const domain = listIssuableTypes(agency);
  const isValid = (type: CertificateDocumentType): boolean => {
    try {
      const issuer = findCertificateIssuer(type);
      issuer?.codec.validate(value);
      return issuer !== undefined;
    } catch {
      return false;
    }
  };
  if (domain.some(isValid)) return undefined;
  const other = CertificateDocumentType.options.find((type) => !domain.includes(type) && isValid(type));
  return other === undefined ? undefined : new CoreError('FORBIDDEN', `${agency.id} issues ${domain.join(', ') || 'no certificates'}, not ${other}`);
}
