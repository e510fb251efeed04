import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { XmlDsigVerifier } from '../../../src/adapters/crypto/xmldsig-verifier.js';
import type { Principal } from '../../../src/core/auth/api-key.js';
import { issueCertificate } from '../../../src/core/certificate/issue-certificate.js';
import { isCoreError } from '../../../src/core/errors.js';
import { coreFixture, type CoreFixture } from '../../helpers/core-deps.js';

const FORM_D: unknown = JSON.parse(
  readFileSync(new URL('../../../message-schemas/form-d/1/examples/valid-vn-coffee-to-thailand.json', import.meta.url), 'utf8'),
);
const MOIT: Principal = { keyId: 'k-moit', role: 'agency', name: 'MOIT C/O', partyId: 'VN-MOIT-CO' };

let fixture: CoreFixture;
let deps: CoreFixture['deps'];
beforeAll(async () => {
  fixture = await coreFixture();
});
beforeEach(() => {
  deps = fixture.withFreshStore();
});
afterAll(() => fixture.remove());

describe('issueCertificate', () => {
  it('records an e-Form D as ISSUED and queues it, signed by VN, for the importing country’s gateway', async () => {
    const issued = await issueCertificate(deps, MOIT, { kind: 'json', value: FORM_D, documentType: undefined });
    expect(issued).toMatchObject({ documentType: 'FORM_D', referenceNumber: 'VN-TH 26/02/012345', status: 'ISSUED', partner: 'TH' });
    expect(deps.store.ledgerEntries().map((entry) => entry.type)).toEqual(['CERTIFICATE_ISSUED', 'DOCUMENT_SIGNED', 'MESSAGE_QUEUED']);
    expect(deps.store.ledgerEntries()[issued.ledgerIndex]).toMatchObject({ type: 'CERTIFICATE_ISSUED', subject: issued.id });
    expect(await deps.store.getCertificate(issued.id)).toMatchObject({ direction: 'OUT', agencyId: 'VN-MOIT-CO', messageId: issued.messageId });
    const message = await deps.store.getMessage(issued.messageId);
    expect(message).toMatchObject({ documentType: 'FORM_D', partnerId: 'TH', ledgerIndex: 2 });
    expect(new XmlDsigVerifier().verify(message?.envelope ?? '', deps.signer.certificatePem).outcome).toBe('VALID');
    expect(await deps.store.getOutbox(issued.messageId)).toMatchObject({ state: 'PENDING' });
  });

  it('refuses the same reference issued twice with DOCUMENT_STATE_CONFLICT', async () => {
    await issueCertificate(deps, MOIT, { kind: 'json', value: FORM_D, documentType: undefined });
    const error = await issueCertificate(deps, MOIT, { kind: 'json', value: FORM_D, documentType: undefined }).catch((failure: unknown) => failure);
    expect(isCoreError(error, 'DOCUMENT_STATE_CONFLICT')).toBe(true);
  });

  it('refuses a type the agency does not issue with FORBIDDEN, and a party that is no agency', async () => {
    const wrongType = await issueCertificate(deps, MOIT, { kind: 'json', value: FORM_D, documentType: 'EPHYTO' }).catch(
      (failure: unknown) => failure,
    );
    expect(isCoreError(wrongType, 'FORBIDDEN')).toBe(true);
    const trader = await issueCertificate(deps, { ...MOIT, partyId: '0301234567' }, { kind: 'json', value: FORM_D, documentType: undefined }).catch(
      (failure: unknown) => failure,
    );
    expect(isCoreError(trader, 'FORBIDDEN')).toBe(true);
    expect(deps.store.ledgerEntries()).toEqual([]);
  });
});
