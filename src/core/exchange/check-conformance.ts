import { z } from 'zod';
import { readEnvelope, type Envelope, type EnvelopeHeader } from '../../../message-schemas/envelope/1/build.js';
import { ENVELOPE_NAMESPACE } from '../../../message-schemas/envelope/1/schema.js';
import type { DocumentType } from '../document/document-type.js';
import { CoreError, isCoreError } from '../errors.js';
import type { GatewayPartner, PartnerTrust } from '../partner.js';
import type { Check } from '../verify/verification-report.js';
import type { ParsedXml } from '../xml/parsed-xml.js';
import { checkAddressee, checkSender, checkWindow, claimedHeader, findInboundHandler } from './envelope-checks.js';
import type { InboundDocument } from '../documents/document-descriptor.js';
import { codecForRoot, findDocument } from '../documents/document-table.js';
import type { ReceiveDeps } from './reception.js';

/** A check's verdict: WARNING passes (accepted with warnings), SKIPPED did not run (it did not apply, or an earlier check failed). */
export const ConformanceStatus = z.enum(['VALID', 'INVALID', 'WARNING', 'SKIPPED']);
export type ConformanceStatus = z.infer<typeof ConformanceStatus>;

/** One failing or warned field: a JSON pointer into the business document (or the envelope header), and why. */
export const ConformanceFinding = z.object({ pointer: z.string().meta({ example: '/consignment/importCountry/id' }), detail: z.string() }).readonly();
export type ConformanceFinding = z.infer<typeof ConformanceFinding>;

/**
 * One coded check of a conformance report.
 * @example { name: 'signature.digest', status: 'INVALID', location: '/Envelope/ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestValue', code: 'SIGNATURE_INVALID', message: '…', findings: [] }
 */
export const ConformanceCheck = z
  .object({
    name: z.string().meta({ example: 'signature.digest' }),
    status: ConformanceStatus,
    location: z.string().meta({
      description: 'What was checked: an XPath into the envelope or document, or the partner file field holding the trust material',
      example: '/Envelope/ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestValue',
    }),
    /** Absent when VALID. */
    code: z
      .string()
      .optional()
      .meta({ description: 'The error code swx refuses the envelope with (or the warning code)', example: 'SIGNATURE_INVALID' }),
    message: z.string().optional(),
    findings: z
      .array(ConformanceFinding)
      .readonly()
      .meta({ description: 'Each failing or warned field, by JSON pointer into the document (or the envelope header)' }),
  })
  .readonly()
  .meta({ id: 'ConformanceCheck' });
export type ConformanceCheck = z.infer<typeof ConformanceCheck>;

/**
 * What `swx conformance` and `POST /v1/conformance` answer: every check of an envelope or a bare business
 * document, INVALID when any check is, else VALID (warnings included).
 */
export const ConformanceReport = z
  .object({
    outcome: z.enum(['VALID', 'INVALID']).meta({ description: 'INVALID when any check is; warnings do not fail' }),
    subject: z.enum(['ENVELOPE', 'DOCUMENT']),
    documentType: z.string().nullable().meta({ example: 'EPHYTO' }),
    from: z.string().nullable().meta({ description: 'The gateway the envelope says it is from', example: 'TH' }),
    checks: z.array(ConformanceCheck).readonly(),
  })
  .readonly()
  .meta({ id: 'ConformanceReport' });
export type ConformanceReport = z.infer<typeof ConformanceReport>;

/** What a conformance check reads: the inbound path's verifiers, partners, clock and window, and nothing that records. */
export type ConformanceDeps = Pick<ReceiveDeps, 'partners' | 'signatures' | 'certificates' | 'parseXml' | 'clock' | 'self' | 'windowSeconds'>;

const SIGNATURE = '/Envelope/ds:Signature';
/** The signature verifier's and certificate verifier's check names, as the report names and locates them. */
const VERIFIER_CHECKS: Readonly<Record<string, readonly [string, string]>> = {
  'well-formed': ['signature.well-formed', '/'],
  'signature-profile': ['signature.profile', SIGNATURE],
  'key-info-certificate': ['signature.key-info', `${SIGNATURE}/ds:KeyInfo/ds:X509Data/ds:X509Certificate`],
  'reference-digest': ['signature.digest', `${SIGNATURE}/ds:SignedInfo/ds:Reference/ds:DigestValue`],
  'signature-value': ['signature.value', `${SIGNATURE}/ds:SignatureValue`],
};

/**
 * Checks an envelope or a bare business document as swx would receive it, recording nothing (no ledger entry,
 * message or receipt): the partner operator's onboarding check. The same checks as receiveEnvelope, each run
 * and listed rather than stopping at the first:
 * - any input: `xml.well-formed` (the codec's parse, with its limits);
 * - an envelope (root Envelope in urn:swx:xsd:envelope:1): `envelope.schema`, `sender.partner` (From names a
 *   partner gateway with trust material), `signature.*` (the verifier's profile, KeyInfo, digest and value with
 *   the pinned certificate), `certificate.*` (pinned, chain, validity, revocation), `sender.signer`,
 *   `envelope.addressee`, `envelope.time-window`, `document.type` (the partner may send it), `document.schema`,
 *   and `document.warnings` when the document is accepted with warnings;
 * - any other document (told by its root element, or `type`): `document.type`, `document.schema`, `document.warnings`.
 * Replays and RefToMessageId depend on the exchange history and are checked on reception only.
 * @example const report = checkConformance(deps, await request.text()); if (report.outcome === 'INVALID') …
 */
export function checkConformance(deps: ConformanceDeps, xml: string, options: { readonly type?: DocumentType } = {}): ConformanceReport {
  const checks: ConformanceCheck[] = [];
  const parsed = run(checks, 'xml.well-formed', '/', () => deps.parseXml(xml));
  if (parsed === undefined) return buildConformanceReport('DOCUMENT', null, null, checks);
  if (parsed.root === 'Envelope' && parsed.namespace === ENVELOPE_NAMESPACE) return checkEnvelope(deps, xml, parsed, checks);
  return checkDocument(parsed, options.type, checks);
}

function checkEnvelope(deps: ConformanceDeps, xml: string, parsed: ParsedXml, checks: ConformanceCheck[]): ConformanceReport {
  const envelope = run(checks, 'envelope.schema', '/Envelope', () => readEnvelope(parsed));
  const claimed = envelope?.header ?? attempt(() => claimedHeader(parsed));
  const partner =
    claimed === undefined
      ? skip(checks, 'sender.partner', '/Envelope/Header/From/GatewayId')
      : run(checks, 'sender.partner', '/Envelope/Header/From/GatewayId', () => partnerOf(deps, claimed));

  let signed: Envelope | undefined;
  if (partner === undefined) {
    for (const [name, location] of Object.values(VERIFIER_CHECKS)) skip(checks, name, location);
  } else {
    const verification = deps.signatures.verify(xml, partner.trust.certificatePem, { profiles: partner.gateway.signatureProfiles });
    checks.push(...verification.checks.map(signatureCheck));
    checks.push(
      ...deps.certificates
        .verify(partner.trust.certificatePem, partner.trust, deps.clock.now())
        .checks.map((check) => certificateCheck(check, partner.gateway)),
    );
    // As on reception, only the signed bytes are read once the signature holds.
    if (verification.outcome === 'VALID') signed = attempt(() => readEnvelope(deps.parseXml(verification.signedXml)));
    run(checks, 'sender.signer', '/Envelope/Header/From', () => {
      if (signed !== undefined) return checkSender(signed.header, partner.gateway);
      const actual = actualSigner(deps, xml, partner.gateway);
      if (actual !== undefined && claimed !== undefined) checkSender(claimed, actual);
      throw new SkippedCheck();
    });
  }
  const header = signed?.header ?? claimed;
  const body = signed?.body ?? envelope?.body;
  if (header === undefined) {
    for (const [name, location] of HEADER_CHECKS) skip(checks, name, location);
    return buildConformanceReport('ENVELOPE', null, null, checks);
  }
  run(checks, 'envelope.addressee', '/Envelope/Header/To', () => checkAddressee(deps.self, header));
  run(checks, 'envelope.time-window', '/Envelope/Header/CreatedAt', () => checkWindow(deps, header));
  const handler =
    partner === undefined
      ? skip(checks, 'document.type', '/Envelope/Header/DocumentType')
      : run(checks, 'document.type', '/Envelope/Header/DocumentType', () => findInboundHandler(partner.gateway, header));
  const reader = handler ?? (header.action === 'ACKNOWLEDGE' ? undefined : findDocument(header.documentType)?.inbound);
  if (reader === undefined || body === undefined) skip(checks, 'document.schema', '/Envelope/Body');
  else readDocument(checks, reader, body, '/Envelope/Body');
  return buildConformanceReport('ENVELOPE', header.documentType, header.from.gatewayId, checks);
}

const HEADER_CHECKS = [
  ['envelope.addressee', '/Envelope/Header/To'],
  ['envelope.time-window', '/Envelope/Header/CreatedAt'],
  ['document.type', '/Envelope/Header/DocumentType'],
  ['document.schema', '/Envelope/Body'],
] as const;

function checkDocument(parsed: ParsedXml, type: DocumentType | undefined, checks: ConformanceCheck[]): ConformanceReport {
  const location = `/${parsed.root}`;
  const codec = run(checks, 'document.type', location, () => {
    const found = type === undefined ? codecForRoot(parsed.root, parsed.namespace) : findDocument(type)?.codec;
    if (found !== undefined) return found;
    const root = `${parsed.root} in ${parsed.namespace ?? 'no namespace'}`;
    throw new CoreError(
      'DOCUMENT_TYPE_NOT_SUPPORTED',
      type === undefined ? `cannot tell the document type from its root element ${root}` : `${type} has no schema`,
    );
  });
  if (codec === undefined) {
    skip(checks, 'document.schema', location);
    return buildConformanceReport('DOCUMENT', type ?? null, null, checks);
  }
  // The reader of the inbound path where partners send this type; the codec's own reader for the others.
  readDocument(
    checks,
    findDocument(codec.documentType)?.inbound ?? { validate: (body) => codec.read(body), summarise: () => ({}) },
    parsed,
    location,
  );
  return buildConformanceReport('DOCUMENT', codec.documentType, null, checks);
}

/** `document.schema` with every failing field, then `document.warnings` when the reader accepts it with warnings. */
function readDocument(checks: ConformanceCheck[], reader: InboundDocument, body: ParsedXml, location: string): void {
  const document = run(checks, 'document.schema', location, () => ({ value: reader.validate(body) }));
  const warnings = document === undefined ? [] : (reader.warnings?.(document.value) ?? []);
  if (warnings.length === 0) return;
  checks.push({
    name: 'document.warnings',
    status: 'WARNING',
    location,
    code: warnings.length === 1 && warnings[0] !== undefined ? warnings[0].code : 'ACCEPTED_WITH_WARNINGS',
    message: `accepted with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}: defects that do not touch the document's meaning`,
    findings: warnings.map((warning) => ({ pointer: warning.pointer ?? '', detail: `${warning.code}: ${warning.message}` })),
  });
}

function partnerOf(deps: ConformanceDeps, header: EnvelopeHeader): { gateway: GatewayPartner; trust: PartnerTrust } {
  const gateway = deps.partners.get(header.from.gatewayId);
  if (gateway?.kind !== 'gateway') throw new CoreError('UNKNOWN_PARTNER', `gateway ${header.from.gatewayId} is not a partner of this single window`);
  return { gateway, trust: deps.partners.trustFor(gateway.id) };
}

/** The gateway whose pinned certificate verifies an envelope that From's does not: who really signed it. */
function actualSigner(deps: ConformanceDeps, xml: string, claimed: GatewayPartner): GatewayPartner | undefined {
  for (const candidate of deps.partners.list()) {
    if (candidate.kind !== 'gateway' || candidate.id === claimed.id || candidate.trust === undefined) continue;
    const trust = attempt(() => deps.partners.trustFor(candidate.id));
    if (trust !== undefined && deps.signatures.verify(xml, trust.certificatePem).outcome === 'VALID') return candidate;
  }
  return undefined;
}

function signatureCheck(check: Check): ConformanceCheck {
  const [name, location] = VERIFIER_CHECKS[check.name] ?? [`signature.${check.name}`, SIGNATURE];
  return fromCheck(check, name, location);
}

function certificateCheck(check: Check, partner: GatewayPartner): ConformanceCheck {
  const location = `partners/${partner.id.toLowerCase()}.json#/trust`;
  const name = `certificate.${check.name.replace(/^certificate-/, '')}`;
  if (check.name === 'certificate-revocation' && check.status === 'SKIPPED') {
    return {
      name,
      status: 'WARNING',
      location,
      code: 'NO_REVOCATION_LIST',
      message: `${partner.id}'s trust has no revocation list: revocation is not checked`,
      findings: [],
    };
  }
  return fromCheck(check, name, location);
}

/** A verifier's check as a conformance check: ERROR (the check could not run) fails like INVALID. */
function fromCheck(check: Check, name: string, location: string): ConformanceCheck {
  const status: ConformanceStatus = check.status === 'ERROR' ? 'INVALID' : check.status;
  return { name, status, location, ...(check.reason === undefined ? {} : { code: check.reason.code, message: check.reason.message }), findings: [] };
}

/** A check that did not apply, though it ran (a signer looked for among the partners, and none found). */
class SkippedCheck extends Error {}

/** Runs one check, pushes its result and returns its value when VALID. */
function run<T>(checks: ConformanceCheck[], name: string, location: string, body: () => T): T | undefined {
  try {
    const value = body();
    checks.push({ name, status: 'VALID', location, findings: [] });
    return value;
  } catch (error) {
    if (error instanceof SkippedCheck) {
      checks.push({ name, status: 'SKIPPED', location, findings: [] });
      return undefined;
    }
    const code = isCoreError(error) ? error.code : 'INTERNAL';
    const message = error instanceof Error ? error.message : String(error);
    const findings = isCoreError(error) ? error.issues.map((issue) => ({ pointer: issue.pointer, detail: issue.detail })) : [];
    checks.push({ name, status: 'INVALID', location, code, message, findings });
    return undefined;
  }
}

function skip(checks: ConformanceCheck[], name: string, location: string): undefined {
  checks.push({ name, status: 'SKIPPED', location, findings: [] });
  return undefined;
}

function attempt<T>(body: () => T): T | undefined {
  try {
    return body();
  } catch (error) {
    if (isCoreError(error)) return undefined;
    throw error;
  }
}

function buildConformanceReport(
  subject: ConformanceReport['subject'],
  documentType: DocumentType | null,
  from: string | null,
  checks: readonly ConformanceCheck[],
): ConformanceReport {
  return { outcome: checks.some((check) => check.status === 'INVALID') ? 'INVALID' : 'VALID', subject, documentType, from, checks };
}
