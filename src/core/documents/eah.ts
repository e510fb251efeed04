import { eahCodec } from '../../../message-schemas/eah/1/schema.js';
import { spsCertificateDocument } from './sps-certificate-document.js';

/** The e-AH (animal health certificate), a UN/CEFACT SPSCertificate of type 853; animal health (VN-DAH) is its agency. */
export const eah = spsCertificateDocument('EAH', eahCodec);
