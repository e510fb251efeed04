import type { z } from 'zod';
import { defineSpsCertificateCodec } from '../../common/1/sps-certificate-codec.js';
import { spsCertificateSchema } from '../../common/1/sps-certificate.js';

/**
 * An e-AH (electronic animal health certificate): the same UN/CEFACT SPSCertificate as an ePhyto, with type code
 * 853 (veterinary certificate), issued by the exporting country's veterinary authority.
 * @example const eah = eahCodec.read(parseXml(xml)) // eah.typeCode === '853'
 */
export const Eah = spsCertificateSchema(['853']);
export type Eah = z.infer<typeof Eah>;

/** The e-AH's XML form: `<rsm:SPSCertificate>` in the SPSCertificate:17 namespace, any prefixes (eah.xsd). */
export const eahCodec = defineSpsCertificateCodec('EAH', Eah);
