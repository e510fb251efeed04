import { acddSpec } from '../../message-schemas/acdd/1/schema.js';
import { describeDocumentExamples } from './describe-document-examples.js';

describeDocumentExamples({
  folder: 'acdd/1',
  xsd: 'acdd.xsd',
  spec: acddSpec,
  invalid: {
    'invalid-bad-unlocode.json': ['/portOfDischarge'],
    'invalid-bad-unlocode.xml': ['/portOfDischarge'],
    'invalid-consignee-country-not-an-acdd-element.json': ['/consignee/country'],
    'invalid-missing-declaration-number.json': ['/exportDeclarationNumber'],
    'invalid-missing-exporter-name.json': ['/exporter/name'],
    'invalid-missing-exporter-name.xml': ['/exporter/name'],
    'invalid-missing-hs-code.json': ['/items/0/hsCode'],
    'invalid-missing-hs-code.xml': ['/items/0/hsCode'],
    'invalid-no-items.json': ['/items'],
    'invalid-quantity-zero.json': ['/items/1/quantity'],
    'invalid-quantity-zero.xml': ['/items/1/quantity'],
    'invalid-root-export-declaration.xml': [''],
    'invalid-serial-number-fraction.json': ['/items/1/serialNumber'],
    'invalid-serial-number-fraction.xml': ['/items/1/serialNumber'],
    'invalid-serial-number-zero.json': ['/items/0/serialNumber'],
    'invalid-serial-number-zero.xml': ['/items/0/serialNumber'],
    'invalid-transport-mode-letter.xml': ['/outwardTransportMode'],
    'invalid-unit-lowercase.json': ['/items/0/unit'],
    'invalid-unknown-country-of-origin.json': ['/items/0/countryOfOrigin'],
    'invalid-unknown-country-of-origin.xml': ['/items/0/countryOfOrigin'],
  },
});
