import { customsResponseSpec } from '../../message-schemas/customs-response/1/schema.js';
import { describeDocumentExamples } from './describe-document-examples.js';

describeDocumentExamples({
  folder: 'customs-response/1',
  xsd: 'customs-response.xsd',
  spec: customsResponseSpec,
  invalid: {
    'invalid-blank-reason.json': ['/reason'],
    'invalid-decided-at-hour-24.xml': ['/decidedAt'],
    'invalid-decided-at-without-offset.json': ['/decidedAt'],
    'invalid-decided-at-without-offset.xml': ['/decidedAt'],
    'invalid-missing-export-declaration-number.json': ['/exportDeclarationNumber'],
    'invalid-missing-export-declaration-number.xml': ['/exportDeclarationNumber'],
    'invalid-rejected-without-reason.json': ['/reason'],
    'invalid-unknown-country.json': ['/respondingCountry'],
    'invalid-unknown-country.xml': ['/respondingCountry'],
    'invalid-unknown-status.json': ['/status'],
    'invalid-unknown-status.xml': ['/status'],
  },
  zodOnly: ['invalid-rejected-without-reason.json'],
});
