import { formDStatusSpec } from '../../message-schemas/form-d-status/1/schema.js';
import { describeDocumentExamples } from './describe-document-examples.js';

describeDocumentExamples({
  folder: 'form-d-status/1',
  xsd: 'form-d-status.xsd',
  spec: formDStatusSpec,
  invalid: {
    'invalid-decided-at-without-offset.json': ['/decidedAt'],
    'invalid-decided-at-without-offset.xml': ['/decidedAt'],
    'invalid-denied-with-quantity.json': ['/items/1/utilisedQuantity'],
    'invalid-granted-without-quantity.json': ['/items/0/utilisedQuantity'],
    'invalid-no-items.json': ['/items'],
    'invalid-not-accepted-without-reason.json': ['/reason'],
    'invalid-outcome-lowercase.xml': ['/items/0/outcome'],
    'invalid-status-disagrees-with-items.json': ['/status'],
    'invalid-unknown-status.json': ['/status'],
    'invalid-unknown-status.xml': ['/status'],
    'invalid-wrong-namespace.xml': [''],
  },
  zodOnly: [
    'invalid-denied-with-quantity.json',
    'invalid-granted-without-quantity.json',
    'invalid-not-accepted-without-reason.json',
    'invalid-status-disagrees-with-items.json',
  ],
});
