import type { PayloadSignature } from './signature-profiles.js';
import type { VerificationReport } from './verification-report.js';

/**
 * The report of an XML signature verification and, when it is VALID, the only bytes callers may read:
 * `signedXml`, the canonical form of the document without its signature, exactly what the signature's digest
 * covers (under the reference's transforms). Reading these instead of the received text rules out signature wrapping.
 * `payloadSignature` is there when the envelope is VALID and its business document carries its own enveloped
 * signature (an NPPO-signed ePhyto): the result of checking it, which never changes the outcome.
 * @example const result = verifier.verify(body, trust.certificatePem); if (result.outcome === 'VALID') readEnvelope(parseXml(result.signedXml))
 */
export type SignedXmlVerification =
  | (VerificationReport & { readonly outcome: 'VALID'; readonly signedXml: string; readonly payloadSignature?: PayloadSignature })
  | (VerificationReport & { readonly outcome: 'INVALID' | 'ERROR'; readonly signedXml?: undefined; readonly payloadSignature?: undefined });
