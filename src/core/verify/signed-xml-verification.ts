import type { VerificationReport } from './verification-report.js';

/**
 * The report of an XML signature verification and, when it is VALID, the only bytes callers may read:
 * `signedXml`, the exclusive-C14N form of the document without its signature, exactly what the signature's
 * digest covers. Reading these instead of the received text rules out signature wrapping.
 * @example const result = verifier.verify(body, trust.certificatePem); if (result.outcome === 'VALID') readEnvelope(parseXml(result.signedXml))
 */
export type SignedXmlVerification =
  | (VerificationReport & { readonly outcome: 'VALID'; readonly signedXml: string })
  | (VerificationReport & { readonly outcome: 'INVALID' | 'ERROR'; readonly signedXml?: undefined });
