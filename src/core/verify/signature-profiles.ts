import { z } from 'zod';

/** `whole-document`: Reference `URI=""`; `root-id`: `URI="#<Id of the root element>"` (Id, ID or id, unique in the document). */
export const SignatureReference = z.enum(['whole-document', 'root-id']);
export type SignatureReference = z.infer<typeof SignatureReference>;

/**
 * The reference's transforms: enveloped-signature alone (the node-set then becomes octets by inclusive C14N 1.0,
 * XML-DSig §4.4.3.2), or followed by exclusive C14N (with or without an InclusiveNamespaces PrefixList) or inclusive
 * C14N 1.0; their #WithComments variants count as the same, as a same-document reference keeps no comments.
 */
export const SignatureTransforms = z.enum(['enveloped', 'enveloped+exc-c14n', 'enveloped+c14n']);
export type SignatureTransforms = z.infer<typeof SignatureTransforms>;

/** SignedInfo's CanonicalizationMethod: exclusive C14N (PrefixList allowed) or inclusive C14N 1.0, without comments. */
export const SignatureCanonicalization = z.enum(['exc-c14n', 'c14n']);
export type SignatureCanonicalization = z.infer<typeof SignatureCanonicalization>;

/** SignatureMethod. */
export const SignatureAlgorithm = z.enum(['rsa-sha256', 'rsa-sha512', 'ecdsa-sha256']);
export type SignatureAlgorithm = z.infer<typeof SignatureAlgorithm>;

/** The Reference's DigestMethod. */
export const SignatureDigest = z.enum(['sha256', 'sha512']);
export type SignatureDigest = z.infer<typeof SignatureDigest>;

function allowed<T extends z.ZodEnum>(values: T) {
  return z
    .array(values)
    .min(1)
    .refine((list) => new Set(list).size === list.length, 'lists a value twice')
    .default([...values.options] as z.infer<T>[]);
}

/**
 * The XML-DSig profiles a partner gateway may sign its envelopes with (its file's `signatureProfiles`, like the
 * security section of an AS4 PMode): each list names what is allowed, and a list left out allows all of its
 * values. Every profile is one enveloped signature over the whole document, the root's last child; the
 * verifier refuses anything else whatever this says.
 * @example SignatureProfiles.parse({ transforms: ['enveloped+exc-c14n'], algorithms: ['ecdsa-sha256'] })
 */
export const SignatureProfiles = z.strictObject({
  references: allowed(SignatureReference),
  transforms: allowed(SignatureTransforms),
  canonicalization: allowed(SignatureCanonicalization),
  algorithms: allowed(SignatureAlgorithm),
  digests: allowed(SignatureDigest),
});
export type SignatureProfiles = z.infer<typeof SignatureProfiles>;

/**
 * Every profile swx accepts: the default of a partner file without `signatureProfiles`.
 * @example ALL_SIGNATURE_PROFILES.algorithms // ['rsa-sha256', 'rsa-sha512', 'ecdsa-sha256']
 */
export const ALL_SIGNATURE_PROFILES: SignatureProfiles = Object.freeze(SignatureProfiles.parse({}));

/**
 * The check of an enveloped signature inside the business document (an ePhyto signed by its issuing NPPO), made
 * once the envelope's own signature is VALID, which covers it: `VALID` with a certificate listed for the partner
 * (`nppoCertificates`), `INVALID` when the signed document was changed or the listed signer's signature does not
 * verify, `UNKNOWN_SIGNER` when no listed certificate is the signer's. It never changes the envelope's outcome.
 */
export interface PayloadSignature {
  readonly status: 'VALID' | 'INVALID' | 'UNKNOWN_SIGNER';
  /** The subject of the listed certificate that verified it, or of the KeyInfo certificate (information only). */
  readonly signer?: string;
  readonly message: string;
}

/** What the verifier is told beside the pinned certificate. */
export interface SignatureVerifyOptions {
  /** The profiles the signer may use (default `ALL_SIGNATURE_PROFILES`). */
  readonly profiles?: SignatureProfiles | undefined;
  /** PEM certificates a signature inside the business document may be checked with (the partner's NPPO). */
  readonly payloadCertificates?: readonly string[] | undefined;
}
