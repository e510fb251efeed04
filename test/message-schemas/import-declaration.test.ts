import { importDeclarationSpec } from '../../message-schemas/import-declaration/1/schema.js';
import { describeDocumentExamples } from './describe-document-examples.js';

describeDocumentExamples({
  folder: 'import-declaration/1',
  xsd: 'import-declaration.xsd',
  spec: importDeclarationSpec,
  invalid: {
    'invalid-arrival-date-february-30.json': ['/arrivalDate'],
    'invalid-empty-certificates.json': ['/certificates'],
    'invalid-export-declaration-root.xml': [''],
    'invalid-export-type-code.json': ['/declarationType'],
    'invalid-import-type-b11.xml': ['/declarationType'],
    'invalid-importer-tax-id-9-digits.json': ['/importer/taxId'],
    'invalid-missing-hs-code.xml': ['/items/0/hsCode'],
    'invalid-no-items.json': ['/items'],
    'invalid-port-of-discharge-abroad.json': ['/portOfDischarge'],
    'invalid-preference-blank-reference.json': ['/preference/formDReference'],
    'invalid-preference-unknown-country.xml': ['/preference/issuingCountry'],
    'invalid-preference-without-issuing-country.json': ['/preference/issuingCountry'],
    'invalid-quantity-negative.xml': ['/items/1/quantity'],
    'invalid-several-defects.json': ['/exporter/country', '/items/1/quantity'],
    'invalid-unknown-attribute.xml': ['/@version'],
    'invalid-unknown-element.xml': ['/items/1/<Colour>'],
    'invalid-unknown-property.json': ['/acddConsent'],
    'invalid-wrong-namespace.xml': [''],
  },
});
