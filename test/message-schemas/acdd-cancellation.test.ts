import { acddCancellationSpec } from '../../message-schemas/acdd-cancellation/1/schema.js';
import { describeDocumentExamples } from './describe-document-examples.js';

describeDocumentExamples({
  folder: 'acdd-cancellation/1',
  xsd: 'acdd-cancellation.xsd',
  spec: acddCancellationSpec,
  invalid: {
    'invalid-blank-reason.json': ['/reason'],
    'invalid-blank-reason.xml': ['/reason'],
    'invalid-cancelled-at-date-only.json': ['/cancelledAt'],
    'invalid-cancelled-at-date-only.xml': ['/cancelledAt'],
    'invalid-missing-reason.json': ['/reason'],
    'invalid-missing-reason.xml': ['/reason'],
    'invalid-unknown-property.json': ['/exportDeclarationId'],
  },
});
