/** A certificate swx trusts for one signer's envelopes, with what a reader is shown of it. */
export interface TrustedCertificate {
  readonly pem: string;
  /** The subject as one line (`CN=…, O=…, C=…`). */
  readonly subject: string;
  /** SHA-256 of the DER, upper-case hex pairs joined by colons. */
  readonly fingerprint: string;
  /** ISO 8601 instant after which the certificate is no longer valid. */
  readonly notAfter: string;
  /** True for one of swx's own earlier signing certificates, retired by `swx keys rotate` and kept to check what it signed. */
  readonly retired: boolean;
}

/**
 * The certificates swx trusts for each signer's envelopes (GET /v1/messages/{id}'s signature line), so a message is
 * checked with the certificate that signed it, not only today's.
 */
export interface SignerCertificates {
  /**
   * For swx's own gateway id: its current signing certificate, then the retired ones, newest first. For a partner:
   * its pinned gateway certificate. Throws as PartnerDirectory.trustFor does for a partner swx holds no trust for.
   */
  of(signer: string): readonly TrustedCertificate[];
}
