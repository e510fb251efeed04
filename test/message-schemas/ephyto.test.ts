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
  readerOnly: ['invalid-issue-date-time-not-a-date.xml'],
  warnings: {
    'valid-with-warning-attachment-not-base64.xml': ['ATTACHMENT_NOT_BASE64 /referencedDocuments/0/attachment/content'],
    'valid-with-warning-goods-not-described.xml': ['GOODS_NOT_DESCRIBED /consignment/items/1'],
    'valid-with-warning-unknown-codes.xml': [
      'COUNTRY_CODE_UNKNOWN /consignment/consignor/address/countryId',
      'COUNTRY_CODE_UNKNOWN /consignment/transitCountries/0/id',
      'TRANSPORT_MODE_UNKNOWN /consignment/transportMovements/0/modeCode',
      'UNIT_CODE_UNKNOWN /consignment/items/0/netWeight/unitCode',
      'COUNTRY_CODE_UNKNOWN /consignment/items/1/originCountries/0/id',
    ],
    'valid-with-warning-unreadable-text.xml': ['TEXT_UNREADABLE /consignment/consignor/name', 'TEXT_UNREADABLE /consignment/items/1/descriptions/0'],
  },
  invalid: {
    'invalid-address-six-lines.json': ['/consignment/consignor/address/lines'],
    'invalid-consignor-in-rsm-namespace.xml': ['/consignment/consignor'],
    'invalid-import-country-alpha-3.xml': ['/consignment/importCountry/id'],
    'invalid-issue-date-time-not-a-date.xml': ['/issuedAt'],
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
