import type { PartnerView } from '../../../../core/exchange/partner-view.js';
import { h } from '../dom.js';

/**
 * A partner as a table cell shows it: its id in bold, then its name in muted text.
 * @example row([partnerCell(partner), partner.state])
 */
export function partnerCell(partner: Pick<PartnerView, 'id' | 'name'>): HTMLSpanElement {
  return h('span', {}, h('strong', {}, partner.id), ' ', h('span', { class: 'partner-name' }, partner.name));
}
