import { ephytoCodec } from '../../message-schemas/ephyto/1/schema.js';
import { describeSpsCertificateExamples } from './describe-sps-certificate-examples.js';

describeSpsCertificateExamples({
  folder: 'ephyto/1',
  xsd: 'ephyto.xsd',
  codec: ephytoCodec,
  twins: {
    'valid-default-namespaces.xml': 'valid-id-worked-example.json',
    'valid-odd-prefixes.xml': 'valid-id-worked-example.json',
  },
  invalid: {
    'invalid-address-six-lines.json': ['/consignment/consignor/address/lines'],
    'invalid-attachment-not-base64.xml': ['/referencedDocuments/0/attachment/content'],
    'invalid-blank-consignor-name.xml': ['/consignment/consignor/name'],
    'invalid-consignor-in-rsm-namespace.xml': ['/consignment/consignor'],
    'invalid-import-country-alpha-3.xml': ['/consignment/importCountry/id'],
    'invalid-issue-date-time-not-a-date.xml': ['/issuedAt'],
    'invalid-item-without-description-or-scientific-name.json': ['/consignment/items/1/descriptions'],
    'invalid-missing-certificate-number.json': ['/certificateNumber'],
    'invalid-missing-consignee.xml': ['/consignment/consignee'],
    'invalid-missing-id.xml': ['/certificateNumber'],
    'invalid-missing-issue-date-time.xml': ['/issuedAt'],
    'invalid-no-trade-line-item.xml': ['/consignment/items'],
    'invalid-sequence-not-a-number.xml': ['/consignment/items/0/sequence'],
    'invalid-status-code-rejected.xml': ['/statusCode'],
    'invalid-type-code-veterinary.json': ['/typeCode'],
    'invalid-type-code-veterinary.xml': ['/typeCode'],
    'invalid-unknown-property.json': ['/consignment/colour'],
    'invalid-wrong-namespace.xml': [''],
  },
});
