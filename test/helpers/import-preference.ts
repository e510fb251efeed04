import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type FormD, formDValidUntil } from '../../message-schemas/form-d/1/schema.js';
import type { ImportDeclaration } from '../../message-schemas/import-declaration/1/schema.js';
import type { Certificate } from '../../src/core/certificate/certificate.js';

const read = <T>(path: string): T => JSON.parse(readFileSync(new URL(`../../message-schemas/${path}`, import.meta.url), 'utf8')) as T;

/** The README's worked example: the e-Form D Thailand issues for the brake pads, radiators and hoses. */
export const WORKED_FORM_D = read<FormD>('form-d/1/examples/valid-th-worked-example.json');
/** The README's worked example: the import declaration that cites it. */
export const WORKED_IMPORT = read<ImportDeclaration & { preference: NonNullable<ImportDeclaration['preference']> }>(
  'import-declaration/1/examples/valid-with-form-d.json',
);

/** A date `days` before today (UTC), YYYY-MM-DD. */
export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The worked e-Form D under its own reference number, issued a few days ago (so valid today), with changes.
 * @example aFormD('TH-T-1', { consignee: { ...WORKED_FORM_D.consignee, name: 'Someone else' } })
 */
export function aFormD(referenceNumber: string, changes: Partial<FormD> = {}): FormD {
  return { ...WORKED_FORM_D, referenceNumber, issueDate: daysAgo(6), ...changes };
}

/**
 * The worked import declaration citing e-Form D `referenceNumber`, with changes.
 * @example anImportCiting('TH-T-1', { items: [...] })
 */
export function anImportCiting(referenceNumber: string, changes: Partial<ImportDeclaration> = {}): ImportDeclaration {
  return { ...WORKED_IMPORT, preference: { ...WORKED_IMPORT.preference, formDReference: referenceNumber }, ...changes };
}

/**
 * e-Form D `formD` as reception records it: received from TH for VN's customs, not yet utilised.
 * @example await store.commit(new ChangeBuilder().insertCertificate(aReceivedFormD(aFormD('TH-T-1'))).build())
 */
export function aReceivedFormD(formD: FormD): Certificate {
  const at = new Date().toISOString();
  return {
    id: randomUUID(),
    documentType: 'FORM_D',
    direction: 'IN',
    referenceNumber: formD.referenceNumber,
    issuingCountry: 'TH',
    importingCountry: 'VN',
    partnerId: 'TH',
    agencyId: 'VN-CUSTOMS',
    status: 'RECEIVED',
    document: formD,
    messageId: undefined,
    replaces: undefined,
    issueDate: formD.issueDate,
    validUntil: formDValidUntil(formD.issueDate),
    utilisation: [],
    createdAt: at,
    updatedAt: at,
  };
}
