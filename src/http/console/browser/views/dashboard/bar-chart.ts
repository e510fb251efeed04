/**
 * A bar chart drawn with uPlot (bundled into the console script; its stylesheet is part of console.css), paired with a
 * table of the same numbers: the chart is a picture (role="img" with an aria-label), the table is what screen readers,
 * keyboards and tests read. Categories are strings on the x axis (days, channels, partners), one bar group per category.
 */
import uPlot from 'uplot';
import { type Content, h } from '../../dom.js';

/** One series of numbers, one per category (null where there is none, e.g. no clearance time without releases). */
export interface BarSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** What a chart shows and how. */
export interface BarChartSpec {
  /** The figure's id (its table is `<id>-table`). */
  readonly id: string;
  readonly caption: Content;
  /** The chart's words for screen readers: what it shows, the table below has its numbers. */
  readonly ariaLabel: string;
  readonly categories: readonly string[];
  /** The label of the table's first column (the categories). */
  readonly categoryLabel: string;
  readonly series: readonly BarSeries[];
  /**
   * stacked: one bar per category, the series piled in order (per day: green, then yellow, then red);
   * overlay: the series drawn over each other, each narrower than the one before (p90 behind p50).
   */
  readonly mode: 'stacked' | 'overlay';
  /** How a value is written on the y axis and in the table (a count, a duration, …). */
  readonly format?: (value: number) => string;
  /** A total column in the table (stacked charts). */
  readonly totals?: boolean;
  /** A category as the x axis writes it, shorter than in the table (a day as 12-05); as it is when left out. */
  readonly axisLabel?: (category: string) => string;
}

const HEIGHT = 220;
const integer = (value: number): string => String(value);

/**
 * The figure: caption, chart (re-drawn to its box's width when the page resizes) and table.
 * @example root.append(barChart({ id: 'per-day', caption: 'Declarations per day', ariaLabel: '…', categories, categoryLabel: 'Day', series, mode: 'stacked', totals: true }))
 */
export function barChart(spec: BarChartSpec): HTMLElement {
  const format = spec.format ?? integer;
  const plot = h('div', { class: 'chart', role: 'img', 'aria-label': spec.ariaLabel, id: `${spec.id}-chart` });
  const figure = h(
    'figure',
    { id: spec.id, class: 'chart-figure' },
    h('figcaption', {}, spec.caption),
    legendOf(spec.series),
    plot,
    h('details', { class: 'chart-table' }, h('summary', {}, 'Table of these numbers / Bảng số liệu'), tableOf(spec, format)),
  );
  if (spec.categories.length > 0) {
    let chart: uPlot | undefined;
    const observer = new ResizeObserver((entries) => {
      // The shell dropped the view: let the chart go with it.
      if (!plot.isConnected) {
        observer.disconnect();
        chart?.destroy();
        return;
      }
      const width = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (width <= 0) return;
      if (chart === undefined) chart = new uPlot(optionsOf(spec, format, width), dataOf(spec), plot);
      else chart.setSize({ width, height: HEIGHT });
    });
    observer.observe(plot);
  } else {
    plot.append(h('p', { class: 'chart-empty' }, 'Nothing in this period.'));
  }
  return figure;
}

/** The colour key: a swatch (coloured through CSSOM, which the CSP allows) and each series' label. */
function legendOf(series: readonly BarSeries[]): HTMLUListElement {
  return h(
    'ul',
    { class: 'chart-legend', 'aria-hidden': 'true' },
    ...series.map((one) => {
      const swatch = h('span', { class: 'swatch' });
      swatch.style.background = one.color;
      return h('li', {}, swatch, one.label);
    }),
  );
}

/** The table of the chart's numbers; each value cell holds the exact number in `data-value` beside its written form. */
function tableOf(spec: BarChartSpec, format: (value: number) => string): HTMLTableElement {
  const headers = [spec.categoryLabel, ...spec.series.map((series) => series.label), ...(spec.totals ? ['Total'] : [])];
  const rows = spec.categories.map((category, i) => {
    const values = spec.series.map((series) => series.values[i] ?? null);
    const total = values.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    const cells = [...values, ...(spec.totals ? [total] : [])];
    return h(
      'tr',
      { 'data-category': category },
      h('th', { scope: 'row' }, category),
      ...cells.map((value) => h('td', { 'data-value': value ?? '' }, value === null ? '–' : format(value))),
    );
  });
  return h(
    'table',
    { id: `${spec.id}-table` },
    h('thead', {}, h('tr', {}, ...headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, ...rows),
  );
}

/** uPlot's columns: the category indexes, then each series (stacked: each the running sum of those before it). */
function dataOf(spec: BarChartSpec): uPlot.AlignedData {
  const x = spec.categories.map((_, i) => i);
  let running = x.map(() => 0);
  const columns = spec.series.map((series) => {
    if (spec.mode === 'overlay') return series.values.map((value) => value);
    running = running.map((sum, i) => sum + (series.values[i] ?? 0));
    return running;
  });
  // uPlot draws series in order: a stack's highest sum first, so each lower part is painted over it.
  return [x, ...(spec.mode === 'stacked' ? columns.reverse() : columns)];
}

/** A bar's width: a share of its category's and at most so many pixels; in an overlay each series narrower than the last. */
function barSize(mode: BarChartSpec['mode'], index: number): [number, number] {
  const share = mode === 'overlay' ? 0.7 - index * 0.3 : 0.7;
  return [share, Math.round((64 * share) / 0.7)];
}

function optionsOf(spec: BarChartSpec, format: (value: number) => string, width: number): uPlot.Options {
  const count = spec.categories.length;
  const ordered = spec.mode === 'stacked' ? [...spec.series].reverse() : spec.series;
  const bars = uPlot.paths.bars;
  const axisLabel = spec.axisLabel ?? ((category: string) => category);
  // As many labels as fit the chart's width as it is now (it is re-sized with the page), about 56 px each.
  const labelEvery = (u: uPlot) => Math.max(1, Math.ceil(count / Math.max(1, Math.floor(u.width / 56))));
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, count - 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [
      {
        splits: (u) => spec.categories.map((_, i) => i).filter((i) => i % labelEvery(u) === 0),
        values: (_u, splits) => splits.map((i) => axisLabel(spec.categories[i] ?? '')),
        grid: { show: false },
      },
      { values: (_u, splits) => splits.map((value) => format(value)), size: 60 },
    ],
    series: [
      {},
      ...ordered.map((series, i) => ({
        label: series.label,
        fill: series.color,
        stroke: series.color,
        width: 0,
        paths: bars === undefined ? undefined : bars({ size: barSize(spec.mode, i), align: 0 }),
        points: { show: false },
      })),
    ],
  } as uPlot.Options;
}
