import type { z } from 'zod';
import type { DocumentType } from '../../../src/core/document/document-type.js';
import { validateDocument } from '../../../src/core/document/validate-document.js';
import type { ParsedXml } from '../../../src/core/xml/parsed-xml.js';
import { validateWithIssues } from '../../../src/core/xml/xml-fields.js';
import { SPS_CERTIFICATE_NAMESPACE, type SpsCertificate } from './sps-certificate.js';
import { readSpsCertificate } from './sps-certificate-reader.js';
import { writeSpsCertificate } from './sps-certificate-writer.js';

/** One SPS certificate document type (EPHYTO, EAH): its schema, and how it is read from and written to XML (a DocumentCodec). */
export interface SpsCertificateCodec<T extends SpsCertificate = SpsCertificate> {
  readonly documentType: Extract<DocumentType, 'EPHYTO' | 'EAH'>;
  readonly rootElement: 'SPSCertificate';
  readonly namespace: typeof SPS_CERTIFICATE_NAMESPACE;
  readonly schema: z.ZodType<T>;
  /** Validates the JSON form; throws VALIDATION_FAILED listing every issue by JSON pointer. */
  validate(input: unknown): T;
  /** Reads and validates a parsed SPSCertificate; throws VALIDATION_FAILED listing every issue by JSON pointer. */
  read(parsed: ParsedXml): T;
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
  return {
    documentType,
    rootElement: 'SPSCertificate',
    namespace: SPS_CERTIFICATE_NAMESPACE,
    schema,
    validate: (input) => validateDocument(schema, input),
    read(parsed) {
      const { fields, issues } = readSpsCertificate(parsed);
      return validateWithIssues(schema, fields, issues);
    },
    write: (certificate) => writeSpsCertificate(certificate),
  };
}
