import type { z } from 'zod';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import type { ParsedXml } from '../../../src/core/xml/parsed-xml.js';
import { validateWithIssues } from '../../../src/core/xml/xml-fields.js';
import { SPS_CERTIFICATE_NAMESPACE, type SpsCertificate } from './sps-certificate.js';
import { readSpsCertificate } from './sps-certificate-reader.js';
import { spsCertificateWarnings, type SpsWarning } from './sps-certificate-warnings.js';
import { writeSpsCertificate } from './sps-certificate-writer.js';

/** One SPS certificate document type (EPHYTO, EAH): its schema, and how it is read from and written to XML (a DocumentCodec). */
export interface SpsCertificateCodec<T extends SpsCertificate = SpsCertificate> {
  readonly documentType: 'EPHYTO' | 'EAH';
  readonly rootElement: 'SPSCertificate';
  readonly namespace: typeof SPS_CERTIFICATE_NAMESPACE;
  readonly schema: z.ZodType<T>;
  /** Validates the JSON form; throws VALIDATION_FAILED listing every issue by JSON pointer. */
  validate(input: unknown): T;
  /**
   * Reads and validates a parsed SPSCertificate; throws VALIDATION_FAILED listing every issue by JSON pointer (a
   * structural defect or a broken business rule). Defects that do not touch the certificate's meaning do not refuse it.
   */
  read(parsed: ParsedXml): T;
  /** As `read`, with the warnings of the certificate read (see sps-certificate-warnings.ts). */
  readWithWarnings(parsed: ParsedXml): { readonly document: T; readonly warnings: readonly SpsWarning[] };
  /** The warnings of a validated certificate: defects accepted because they do not touch its meaning. */
  warnings(certificate: T): readonly SpsWarning[];
  /** Writes a validated certificate as canonical XML, ready to sign. */
  write(certificate: T): string;
}

/**
 * The codec of an SPS certificate document type with its own schema (its certificate type codes).
 * @example export const ephytoCodec = defineSpsCertificateCodec('EPHYTO', Ephyto)
 */
export function defineSpsCertificateCodec<T extends SpsCertificate>(
  documentType: SpsCertificateCodec['documentType'],
  schema: z.ZodType<T>,
): SpsCertificateCodec<T> {
  const read = (parsed: ParsedXml): T => {
    const { fields, issues } = readSpsCertificate(parsed);
    return validateWithIssues(schema, fields, issues);
  };
  return {
    documentType,
    rootElement: 'SPSCertificate',
    namespace: SPS_CERTIFICATE_NAMESPACE,
    schema,
    validate: (input) => validateDocument(schema, input),
    read,
    readWithWarnings(parsed) {
      const document = read(parsed);
      return { document, warnings: spsCertificateWarnings(document) };
    },
    warnings: (certificate) => spsCertificateWarnings(certificate),
    write: (certificate) => writeSpsCertificate(certificate),
  };
}
