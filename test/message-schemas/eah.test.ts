import { eahCodec } from '../../message-schemas/eah/1/schema.js';
import { describeSpsCertificateExamples } from './describe-sps-certificate-examples.js';

describeSpsCertificateExamples({
  folder: 'eah/1',
  xsd: 'eah.xsd',
  codec: eahCodec,
  invalid: {
    'invalid-export-country-missing.xml': ['/consignment/exportCountry'],
    'invalid-missing-id.xml': ['/certificateNumber'],
    'invalid-type-code-phytosanitary.xml': ['/typeCode'],
  },
});
