/**
 * What an agency reads before it accepts or rejects an inbound ePhyto or e-AH (GET /v1/certificates/{id}): who sends
 * the goods to whom, what they are, how long the certificate is valid, whether the issuer's own signature verified,
 * and the defects it was accepted with.
 */
import type { SpsConsignment } from '../../../../../message-schemas/common/1/sps-certificate.js';
import type { Certificate } from '../api-types.js';
import { dl, h } from '../dom.js';
import { term } from '../terms.js';

/** An item as one line: its first description (or common name) and its net weight. */
function goodsLine(item: SpsConsignment['items'][number]): string {
  const what = item.descriptions[0] ?? item.commonNames[0] ?? item.scientificNames[0] ?? `item ${item.sequence}`;
  const weight = item.netWeight?.value === undefined ? '' : ` (${item.netWeight.value} ${item.netWeight.unitCode ?? ''})`.replace(' )', ')');
  return `${what}${weight}`;
}

/**
 * The certificate's facts as a description list (`#certificate-facts`, each dd with its `data-term`) and its warnings.
 * @example form.append(certificateFacts(await call<Certificate>('GET', `v1/certificates/${id}`)))
 */
export function certificateFacts(certificate: Certificate): HTMLElement {
  // The view's document is the SPS certificate as swx read it (message-schemas/common/1/sps-certificate.ts).
  const consignment = (certificate.document as { consignment?: SpsConsignment } | null)?.consignment;
  const signature = certificate.issuerSignature;
  const facts = dl('certificate-facts', [
    [term('consignor'), consignment?.consignor?.name ?? '', 'consignor'],
    [term('consignee'), consignment?.consignee.name ?? '', 'consignee'],
    [term('goods'), h('ul', {}, ...(consignment?.items ?? []).map((item) => h('li', {}, goodsLine(item)))), 'goods'],
    [term('validUntil'), certificate.validUntil ?? 'not given', 'valid-until'],
    [
      term('issuerSignature'),
      signature === null
        ? 'none in the document'
        : h('span', { class: signature.status === 'VALID' ? 'proved' : 'unproved' }, `${signature.status}: ${signature.message}`),
      'issuer-signature',
    ],
  ]);
  const warnings = certificate.warnings.map((warning) => h('li', { class: 'warning' }, `${warning.code} at ${warning.pointer}: ${warning.message}`));
  return h('div', {}, facts, warnings.length === 0 ? '' : h('ul', { id: 'certificate-warnings' }, ...warnings));
}
