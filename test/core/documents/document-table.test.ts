import { describe, expect, it } from 'vitest';
import {
  findCertificateIssuer,
  codecForRoot,
  codecForType,
  DOCUMENTS,
  DOCUMENT_TYPES,
  ENVELOPE_DOCUMENT_TYPES,
  ISSUED_DOCUMENT_TYPES,
} from '../../../src/core/documents/document-table.js';

describe('DOCUMENTS', () => {
  it('holds one descriptor per document type code, under its own code, with its own codec', () => {
    for (const [type, descriptor] of Object.entries(DOCUMENTS)) {
      expect(descriptor.type).toBe(type);
      if (descriptor.codec !== undefined) expect(descriptor.codec.documentType).toBe(type);
    }
  });

  it('lists the types with an envelope codec (IMPORT_DECLARATION has none yet)', () => {
    expect(ENVELOPE_DOCUMENT_TYPES).toBe(
      'ACDD, ACDD_CANCELLATION, CUSTOMS_RESPONSE, EAH, EPHYTO, EXPORT_DECLARATION, FORM_D, FORM_D_STATUS, SPS_ACK',
    );
    expect(codecForType('import-declaration')).toEqual({
      error: `IMPORT_DECLARATION has no schema in message-schemas/ yet (supported: ${ENVELOPE_DOCUMENT_TYPES})`,
    });
    expect(codecForType(' sps-ack ')).toMatchObject({ codec: { documentType: 'SPS_ACK' } });
  });

  it('tells an SPSCertificate as an ePhyto unless asked among other types', () => {
    const root = ['SPSCertificate', DOCUMENTS.EPHYTO.codec?.namespace] as const;
    expect(codecForRoot(...root)?.documentType).toBe('EPHYTO');
    expect(codecForRoot(...root, ['EAH', 'FORM_D'])?.documentType).toBe('EAH');
    expect(codecForRoot('ACDD', 'urn:swx:xsd:other:1')).toBeUndefined();
  });

  it('issues FORM_D, EPHYTO and EAH through POST /v1/certificates, each with a codec, and nothing else', () => {
    expect(ISSUED_DOCUMENT_TYPES).toEqual(['FORM_D', 'EPHYTO', 'EAH']);
    for (const type of DOCUMENT_TYPES) expect(findCertificateIssuer(type) !== undefined).toBe(ISSUED_DOCUMENT_TYPES.includes(type));
  });

  it('says which documents partner gateways send swx, and what an envelope asks with each by default', () => {
    const inbound = DOCUMENT_TYPES.filter((type) => DOCUMENTS[type].inbound !== undefined);
    expect(inbound).toEqual(['ACDD', 'CUSTOMS_RESPONSE', 'FORM_D', 'FORM_D_STATUS', 'EPHYTO', 'EAH', 'SPS_ACK']);
    const actions = Object.fromEntries(DOCUMENT_TYPES.map((type) => [type, DOCUMENTS[type].defaultAction ?? 'SUBMIT']));
    expect(actions).toMatchObject({
      ACDD_CANCELLATION: 'CANCEL',
      CUSTOMS_RESPONSE: 'RESPOND',
      FORM_D_STATUS: 'RESPOND',
      SPS_ACK: 'RESPOND',
      ACDD: 'SUBMIT',
      EPHYTO: 'SUBMIT',
    });
  });
});
