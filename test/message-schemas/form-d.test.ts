import { describe, expect, it } from 'vitest';
import { formDSpec, formDValidUntil } from '../../message-schemas/form-d/1/schema.js';
import { describeDocumentExamples } from './describe-document-examples.js';

describeDocumentExamples({
  folder: 'form-d/1',
  xsd: 'form-d.xsd',
  spec: formDSpec,
  invalid: {
    'invalid-51-items.json': ['/items'],
    'invalid-hs-code-letters.xml': ['/items/1/hsCode'],
    'invalid-importing-country-is-issuing-country.json': ['/importingCountry'],
    'invalid-issue-date-month-13.json': ['/issueDate'],
    'invalid-item-number-twice.json': ['/items/2/itemNumber'],
    'invalid-item-number-zero.xml': ['/items/0/itemNumber'],
    'invalid-missing-de-minimis-box.json': ['/specialCircumstances/deMinimis'],
    'invalid-missing-issue-date.xml': ['/issueDate'],
    'invalid-no-invoices.json': ['/invoices'],
    'invalid-no-origin-criterion.json': ['/items/0/originCriteria'],
    'invalid-package-count-decimal.xml': ['/items/0/packageCount'],
    'invalid-percentage-on-cth.json': ['/items/0/originCriteria/0/percentage'],
    'invalid-rvc-above-100.json': ['/items/1/originCriteria/0/percentage'],
    'invalid-rvc-above-100.xml': ['/items/1/originCriteria/0/percentage'],
    'invalid-rvc-without-fob-value.json': ['/items/1/fobValue'],
    'invalid-rvc-without-percentage.json': ['/items/1/originCriteria/0/percentage'],
    'invalid-tick-box-yes.xml': ['/specialCircumstances/backToBack'],
    'invalid-unknown-origin-criterion.json': ['/items/0/originCriteria/0/code'],
    'invalid-unknown-origin-criterion.xml': ['/items/0/originCriteria/0/code'],
    'invalid-wo-combined.json': ['/items/0/originCriteria'],
    'invalid-wrong-namespace.xml': [''],
  },
  zodOnly: [
    'invalid-importing-country-is-issuing-country.json',
    'invalid-item-number-twice.json',
    'invalid-percentage-on-cth.json',
    'invalid-rvc-without-fob-value.json',
    'invalid-rvc-without-percentage.json',
    'invalid-wo-combined.json',
  ],
});

describe('formDValidUntil', () => {
  it('is the day before the first anniversary of the issue date', () => {
    expect(formDValidUntil('2026-11-16')).toBe('2027-11-15');
    expect(formDValidUntil('2027-01-01')).toBe('2027-12-31');
  });

  it('falls back to the end of February when the issue date was a 29 February', () => {
    expect(formDValidUntil('2028-02-29')).toBe('2029-02-27');
  });
});
