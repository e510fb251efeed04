import { readFileSync } from 'node:fs';
import { readReceipt, type Receipt } from '../../message-schemas/receipt/1/build.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { parseXml } from '../../src/adapters/xml/xml-codec.js';
import type { DocumentType } from '../../src/core/document/document-type.js';
import { anEnvelope } from './envelope-builder.js';
import type { ServiceUnderTest } from './service-under-test.js';

export interface PartnerDelivery {
  readonly status: number;
  readonly messageId: string;
  readonly receipt: Receipt;
}

/**
 * Sends business documents to a running swx as partner gateway `partnerId` would: in an envelope to VN signed with
 * that partner's development key from the service's PKI (the key its simulator signs with).
 * @example const th = partnerGateway(swx, 'TH'); const { receipt } = await th.send('FORM_D', encodeDocumentXml(formDSpec, formD))
 */
export function partnerGateway(swx: Pick<ServiceUnderTest, 'url' | 'pkiDir'>, partnerId: string) {
  const pki = devPkiLayout(swx.pkiDir);
  const signer = new XmlDsigSigner(readFileSync(pki.gatewayKey(partnerId), 'utf8'), readFileSync(pki.gatewayCertificate(partnerId), 'utf8'));
  return {
    async send(documentType: DocumentType, bodyXml: string, options: { readonly refTo?: string } = {}): Promise<PartnerDelivery> {
      const built = anEnvelope()
        .from(partnerId)
        .carrying(documentType, documentType === 'FORM_D_STATUS' ? 'RESPOND' : 'SUBMIT');
      const envelope = options.refTo === undefined ? built : built.referringTo(options.refTo);
      const { messageId } = envelope.header();
      const response = await fetch(`${swx.url}/v1/exchange`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/xml' },
        body: envelope.signedBy(signer, bodyXml),
      });
      return { status: response.status, messageId, receipt: readReceipt(parseXml(await response.text())) };
    },
  };
}
