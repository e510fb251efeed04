import { spsAckSpec } from '../../message-schemas/sps-ack/1/schema.js';
import { describeDocumentExamples } from './describe-document-examples.js';

describeDocumentExamples({
  folder: 'sps-ack/1',
  xsd: 'sps-ack.xsd',
  spec: spsAckSpec,
  invalid: {
    'invalid-acknowledged-at-without-offset.json': ['/acknowledgedAt'],
    'invalid-acknowledged-at-without-offset.xml': ['/acknowledgedAt'],
    'invalid-blank-reason.json': ['/reason'],
    'invalid-certificate-type-form-d.xml': ['/certificateType'],
    'invalid-missing-certificate-number.json': ['/certificateNumber'],
    'invalid-missing-certificate-number.xml': ['/certificateNumber'],
    'invalid-rejected-without-reason.json': ['/reason'],
    'invalid-unknown-status.json': ['/status'],
    'invalid-unknown-status.xml': ['/status'],
  },
  zodOnly: ['invalid-rejected-without-reason.json'],
});
