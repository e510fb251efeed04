import { ephytoCodec } from '../../../message-schemas/ephyto/1/schema.js';
import { spsCertificateDocument } from './sps-certificate-document.js';

/** The ePhyto (plant health certificate), a UN/CEFACT SPSCertificate of type 851 or 657; plant protection (VN-PPD) is its agency. */
export const ephyto = spsCertificateDocument('EPHYTO', ephytoCodec);
