import type { z } from 'zod';
import { defineSpsCertificateCodec } from '../../common/1/sps-certificate-codec.js';
import { spsCertificateSchema } from '../../common/1/sps-certificate.js';

/**
 * An ePhyto: the UN/CEFACT SPSCertificate with type code 851 (phytosanitary certificate) or 657 (re-export
 * phytosanitary certificate), as national ePhyto systems and the IPPC ePhyto hub exchange it. Issued with status
 * 70; withdrawn with status 40 and the withdrawn certificate's number; replaced by a new certificate that refers
 * to the old one (see REPLACES_RELATIONSHIP in ../../common/1/sps-certificate.ts).
 * @example const ephyto = ephytoCodec.read(parseXml(xml)) // ephyto.consignment.importCountry.id === 'VN'
 */
export const Ephyto = spsCertificateSchema(['851', '657']);
export type Ephyto = z.infer<typeof Ephyto>;

/** The ePhyto's XML form: `<rsm:SPSCertificate>` in the SPSCertificate:17 namespace, any prefixes (ephyto.xsd). */
export const ephytoCodec = defineSpsCertificateCodec('EPHYTO', Ephyto);
