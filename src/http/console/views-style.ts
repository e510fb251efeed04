/** The dashboard's, operator's and agency's styles, part of /console/console.css (console-style.ts includes them). */
export const VIEWS_STYLE = `
.filters { display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; align-items: center; }
.dashboard-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 36rem), 1fr)); gap: 1rem; }
.chart-figure { margin: 0; background: #fff; border: 1px solid #dde1e7; padding: 0.6rem; min-width: 0; }
#exchange-volume { grid-column: 1 / -1; }
.chart-figure figcaption { font-weight: 600; margin-bottom: 0.3rem; }
.chart { width: 100%; min-height: 220px; }
.chart-empty { color: #56606e; }
.chart-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; margin: 0 0 0.3rem; padding: 0; font-size: 0.85rem; }
.chart-legend .swatch { display: inline-block; width: 0.8rem; height: 0.8rem; margin-right: 0.3rem; vertical-align: -0.1rem; border-radius: 2px; }
.chart-table { margin-top: 0.4rem; overflow-x: auto; }
.chart-table summary { cursor: pointer; color: #0b5cad; }
.chart-table td { text-align: right; font-variant-numeric: tabular-nums; }
.circuit-CLOSED { background: #d5f0dc; color: #17663a; }
.circuit-HALF_OPEN { background: #fff0b3; color: #6b5300; }
.circuit-OPEN { background: #f8d3d3; color: #a11a1a; }
#acknowledgement-form { display: grid; gap: 0.5rem; max-width: 48rem; background: #fff; border: 1px solid #dde1e7; padding: 0.8rem; }
#acknowledgement-form h3 { margin: 0; }
#certificate-facts ul { margin: 0; padding-left: 1.1rem; }
#ledger-verify-command { max-height: none; }
.partner-name { color: #56606e; font-size: 0.9em; }
@media (max-width: 600px) {
  table.stack thead { position: absolute; left: -9999px; }
  table.stack tr { display: block; border-bottom: 2px solid #c8ced8; padding: 0.3rem 0; }
  table.stack td { display: grid; grid-template-columns: 8.5rem 1fr; gap: 0.5rem; border: 0; padding: 0.15rem 0.5rem; overflow-wrap: anywhere; }
  table.stack td::before { content: attr(data-label); font-weight: 600; }
  table.stack td > * { justify-self: start; }
}
`;
