import { readFileSync } from 'node:fs';
import type { EnvelopeHeader } from '../../message-schemas/envelope/1/schema.js';
import { devPkiLayout } from '../../src/adapters/crypto/dev-pki-layout.js';
import { XmlDsigSigner } from '../../src/adapters/crypto/xmldsig-signer.js';
import { envelopeAround, signAsWritten } from '../../src/cli/raw-envelope.js';
import type { DocumentType } from '../../src/core/document/document-type.js';
import { anEnvelope } from './envelope-builder.js';

/**
 * Envelopes as partner gateways sign them, offline: a document file's bytes in an envelope to VN, signed with a
 * gateway's development key from `pkiDir` (as `swx simulate send --raw` does), for conformance tests.
 * @example const envelopes = partnerEnvelopes(join(dataDir, 'pki')); const xml = envelopes.sign(file, envelopes.header('TH', 'CUSTOMS_RESPONSE'))
 */
export function partnerEnvelopes(pkiDir: string) {
  const layout = devPkiLayout(pkiDir);
  const signers = new Map<string, XmlDsigSigner>();
  const signerOf = (id: string) => {
    let signer = signers.get(id);
    if (signer === undefined) {
      signer = new XmlDsigSigner(readFileSync(layout.gatewayKey(id), 'utf8'), readFileSync(layout.gatewayCertificate(id), 'utf8'));
      signers.set(id, signer);
    }
    return signer;
  };
  return {
    /** A header from gateway `from` (its country the same) to VN, created now, with `changes`. */
    header(from: string, documentType: DocumentType, changes: Partial<EnvelopeHeader> = {}): EnvelopeHeader {
      return anEnvelope()
        .from(from)
        .carrying(documentType, documentType === 'CUSTOMS_RESPONSE' ? 'RESPOND' : 'SUBMIT')
        .with(changes)
        .header();
    },
    /** The file's root element byte for byte in an envelope with `header`, signed with `signerId`'s key (the From gateway's by default). */
    sign(documentFile: string, header: EnvelopeHeader, signerId: string = header.from.gatewayId): string {
      return signAsWritten(signerOf(signerId), envelopeAround(header, readFileSync(documentFile, 'utf8')));
    },
    /** Signs with a signer of one's own (an expired certificate's, say). */
    signWith(signer: XmlDsigSigner, documentFile: string, header: EnvelopeHeader): string {
      return signAsWritten(signer, envelopeAround(header, readFileSync(documentFile, 'utf8')));
    },
  };
}
