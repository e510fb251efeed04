/**
 * The dashboard (officers and admins): declarations per day by channel, time to clearance by channel, exchange volume
 * by partner and document type (from the MIS report, GET /v1/reports/exchange) and the partners' delivery health
 * (GET /v1/partners). Each chart has a table of its numbers.
 */
import type { ExchangeReport } from '../../../../core/report/exchange-report.js';
import type { PartnerView } from '../../../../core/exchange/partner-view.js';
import { attempt, h, problemLine, row, table } from '../dom.js';
import { inIct } from '../format.js';
import { call } from '../http.js';
import { go } from '../router.js';
import { english, term } from '../terms.js';
import type { View } from '../view.js';
import { partnerCell } from './partner-cell.js';
import { stackOnPhones } from './stack-on-phones.js';
import { barChart } from './dashboard/bar-chart.js';
import { writeSeconds } from './dashboard/durations.js';

const CHANNEL_COLOURS = { GREEN: '#2e8b57', YELLOW: '#d4a017', RED: '#c0392b' } as const;
const CHANNELS = ['GREEN', 'YELLOW', 'RED'] as const;
/** Distinct colours for document types, in the order the report ranks them. */
const PALETTE = ['#123c69', '#2e8b57', '#d4a017', '#c0392b', '#6c5b7b', '#0b8a9f', '#e67e22', '#7f8c8d', '#8e44ad', '#16a085'];
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period shown: the hash's `from` and `to` (UTC dates), else the last 14 days up to today. */
function periodOf(params: URLSearchParams): { from: string; to: string } {
  const today = new Date().toISOString().slice(0, 10);
  const to = DATE.test(params.get('to') ?? '') ? (params.get('to') as string) : today;
  const from = DATE.test(params.get('from') ?? '')
    ? (params.get('from') as string)
    : new Date(Date.parse(to) - 13 * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

function periodForm(period: { from: string; to: string }): HTMLFormElement {
  const from = h('input', { type: 'date', id: 'dashboard-from', value: period.from, required: true });
  const to = h('input', { type: 'date', id: 'dashboard-to', value: period.to, required: true });
  const form = h(
    'form',
    { id: 'dashboard-period', class: 'filters' },
    h('label', { for: 'dashboard-from' }, term('from'), ' (UTC)'),
    from,
    h('label', { for: 'dashboard-to' }, term('to'), ' (UTC)'),
    to,
    h('button', { type: 'submit' }, term('show')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    go('dashboard', { from: from.value, to: to.value });
  });
  return form;
}

function perDayChart(report: ExchangeReport): HTMLElement {
  const days = report.declarations.perDay;
  return barChart({
    id: 'declarations-per-day',
    caption: term('declarationsPerDay'),
    ariaLabel: `Bar chart: declarations submitted per day (UTC) by channel, ${report.declarations.submitted} in all. The table below has the numbers.`,
    categories: days.map((day) => day.day),
    categoryLabel: 'Day (UTC)',
    axisLabel: (day) => day.slice(5),
    series: CHANNELS.map((channel) => ({ label: channel, color: CHANNEL_COLOURS[channel], values: days.map((day) => day[channel]) })),
    mode: 'stacked',
    totals: true,
  });
}

function clearanceChart(report: ExchangeReport): HTMLElement {
  const times = CHANNELS.map((channel) => report.clearance.byChannel[channel]);
  return barChart({
    id: 'clearance-times',
    caption: term('timeToClearance'),
    ariaLabel: 'Bar chart: median and 90th percentile time from submission to release by channel. The table below has the numbers.',
    categories: [...CHANNELS],
    categoryLabel: english('channel'),
    series: [
      { label: 'p90', color: '#9fb7d4', values: times.map((time) => time.p90) },
      { label: 'Median', color: '#123c69', values: times.map((time) => time.p50) },
    ],
    mode: 'overlay',
    format: writeSeconds,
  });
}

function volumeChart(report: ExchangeReport): HTMLElement {
  const partners = Object.keys(report.messages.byPartner);
  const types = Object.keys(report.messages.byDocumentType);
  const sums = new Map<string, number>();
  for (const count of report.messages.counts) {
    const key = `${count.partner ?? 'UNKNOWN'}\u0000${count.documentType ?? 'UNKNOWN'}`;
    sums.set(key, (sums.get(key) ?? 0) + count.count);
  }
  return barChart({
    id: 'exchange-volume',
    caption: term('exchangeVolume'),
    ariaLabel: `Bar chart: messages exchanged by partner, stacked by document type, ${report.messages.total} in all. The table below has the numbers.`,
    categories: partners,
    categoryLabel: english('partner'),
    series: types.map((type, i) => ({
      label: type,
      color: PALETTE[i % PALETTE.length] ?? '#123c69',
      values: partners.map((partner) => sums.get(`${partner}\u0000${type}`) ?? 0),
    })),
    mode: 'stacked',
    totals: true,
  });
}

function releaseSummary(report: ExchangeReport): HTMLElement {
  const { released, releasedWithoutManualStep, shareWithoutManualStep, byChannel } = report.clearance;
  const share = shareWithoutManualStep === null ? '–' : `${Math.round(shareWithoutManualStep * 100)} %`;
  return h(
    'p',
    { id: 'release-summary' },
    `Released in the period: ${released} (${CHANNELS.map((channel) => `${channel} ${byChannel[channel].released}`).join(', ')}); `,
    `without a manual step: ${releasedWithoutManualStep} (${share}).`,
  );
}

function partnersHealth(partners: readonly PartnerView[]): HTMLElement {
  const gateways = partners.filter((partner) => partner.delivery !== null && partner.state !== 'planned');
  const { box } = table(
    'partners-health',
    [term('partner'), term('circuit'), term('queueDepth'), term('lastDelivery'), term('deadLetters'), term('lastError')],
    gateways.map((partner) => {
      const delivery = partner.delivery;
      const circuit = delivery?.circuit ?? 'unknown';
      const tr = row([
        partnerCell(partner),
        h('span', { class: `badge circuit-${circuit}` }, circuit),
        delivery?.queueDepth ?? 0,
        delivery?.lastDeliveredAt ? inIct(delivery.lastDeliveredAt) : 'never',
        delivery?.deadLetters ?? 0,
        delivery?.lastError ?? '',
      ]);
      tr.dataset['partner'] = partner.id;
      return tr;
    }),
  );
  stackOnPhones(box);
  return h('section', { 'aria-labelledby': 'partners-health-title' }, h('h3', { id: 'partners-health-title' }, term('partnersHealth')), box);
}

export const dashboardView: View = {
  id: 'dashboard',
  label: 'dashboard',
  roles: ['officer', 'admin'],
  async mount(root, params) {
    const period = periodOf(params);
    const problem = problemLine('dashboard-problem');
    root.append(h('h2', {}, term('dashboard')), periodForm(period), problem);
    await attempt(problem, async () => {
      const query = new URLSearchParams(period).toString();
      const [report, partners] = await Promise.all([
        call<ExchangeReport>('GET', `v1/reports/exchange?${query}`),
        call<{ items: PartnerView[] }>('GET', 'v1/partners'),
      ]);
      root.append(
        h('div', { class: 'dashboard-grid' }, perDayChart(report), clearanceChart(report), volumeChart(report)),
        releaseSummary(report),
        partnersHealth(partners.items),
      );
    });
  },
};
