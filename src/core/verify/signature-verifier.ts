import type { SignatureVerifyOptions } from './signature-profiles.js';
import type { SignedXmlVerification } from './signed-xml-verification.js';

/**
 * Verifies a signed XML document under swx's strict signature profile (one enveloped signature over the
 * whole document, in one of the standard profiles `options.profiles` allows) with a certificate swx chose, never
 * the one in KeyInfo. When VALID, `signedXml` holds the bytes the signature covers: process those, not the received
 * text; a signature inside the business document is checked with `options.payloadCertificates` (`payloadSignature`).
 */
export interface SignatureVerifier {
  verify(xml: string, certificatePem: string, options?: SignatureVerifyOptions): SignedXmlVerification;
}
