import { CHART_STYLE } from './chart-style.js';
import { VIEWS_STYLE } from './views-style.js';

/** The console's stylesheet, served as /console/console.css (the CSP allows no inline style). */
export const CONSOLE_STYLE = `${CHART_STYLE}
:root { font-family: system-ui, sans-serif; font-size: 15px; color: #1d2430; background: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 0.5rem; top: 0.5rem; background: #fff; padding: 0.4rem; z-index: 2; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1.2rem; padding: 0.6rem 1.2rem; background: #123c69; color: #fff; }
header h1 { font-size: 1.15rem; margin: 0; }
header .vi { color: #c9d8ea; }
#nav { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; flex: 1; }
#nav a { color: #fff; text-decoration: none; padding: 0.2rem 0.1rem; border-bottom: 2px solid transparent; }
#nav a[aria-current="page"] { border-bottom-color: #ffd24a; font-weight: 600; }
#who { font-size: 0.9rem; color: #dfe8f3; }
main { padding: 1rem 1.2rem; max-width: 100rem; }
[hidden] { display: none !important; }
:focus-visible { outline: 3px solid #e08a00; outline-offset: 2px; }
.vi { color: #56606e; font-weight: normal; font-size: 0.9em; }
.vi::before { content: "· "; }
form { margin: 0 0 1rem; }
#login-form { max-width: 32rem; display: grid; gap: 0.5rem; }
#filter-form { display: flex; flex-wrap: wrap; gap: 0.6rem 0.8rem; align-items: end; }
#filter-form label { display: grid; gap: 0.2rem; font-size: 0.9rem; }
#decision-form { display: grid; gap: 0.5rem; max-width: 40rem; }
fieldset { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; border: 1px solid #c8ced8; }
input, select, textarea, button { font: inherit; padding: 0.3rem 0.5rem; max-width: 100%; }
button { cursor: pointer; border: 1px solid #123c69; background: #fff; color: #123c69; border-radius: 3px; }
button[type="submit"] { background: #123c69; color: #fff; }
button[type="submit"] .vi { color: #dfe8f3; }
header button { border-color: #fff; }
button.link { border: none; background: none; padding: 0; text-decoration: underline; color: #0b5cad; }
a { color: #0b5cad; }
.table-box { overflow-x: auto; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid #dde1e7; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; }
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: break-word; }
pre { background: #fff; border: 1px solid #dde1e7; padding: 0.6rem; overflow: auto; max-height: 24rem; white-space: pre-wrap; word-break: break-all; }
.pages { display: flex; gap: 0.6rem; }
.problem { color: #a11a1a; font-weight: 600; }
.problem:empty, .done:empty { display: none; }
.done { color: #17663a; font-weight: 600; }
.warning { color: #6b5300; font-weight: 600; margin: 0.2rem 0; }
.detail { font-family: ui-monospace, monospace; font-size: 0.85rem; }
.badge { display: inline-block; padding: 0 0.45rem; border-radius: 3px; font-size: 0.85rem; font-weight: 600; }
.channel-GREEN { background: #d5f0dc; color: #17663a; }
.channel-YELLOW { background: #fff0b3; color: #6b5300; }
.channel-RED { background: #f8d3d3; color: #a11a1a; }
.back { display: inline-block; margin-bottom: 0.4rem; }
.detail-grid { display: grid; grid-template-columns: minmax(0, 1fr) 25rem; gap: 1.2rem; align-items: start; }
.detail-side { order: 2; position: sticky; top: 0.5rem; background: #fff; border: 1px solid #dde1e7; padding: 0.6rem 0.8rem; }
.detail-main { order: 1; min-width: 0; }
.detail-side dl { grid-template-columns: max-content minmax(0, 1fr); }
.detail-side dt .vi, .columns dt .vi, th .vi { display: block; font-size: 0.8rem; }
.detail-side dt .vi::before, .columns dt .vi::before, th .vi::before { content: none; }
.columns dl { grid-template-columns: 1fr; gap: 0; }
.columns dd { margin-bottom: 0.35rem; }
header button .vi { color: #56606e; }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0 1.2rem; }
.columns h3 { margin-bottom: 0.3rem; }
tr.total th, tr.total td { border-top: 2px solid #c8ced8; font-weight: 600; }
ol.history { list-style: none; padding: 0; margin: 0 0 1rem; border-left: 3px solid #c8ced8; }
ol.history > li { display: grid; grid-template-columns: 12.5rem minmax(0, 1fr) auto; gap: 0.1rem 0.8rem; padding: 0.45rem 0.6rem; margin-left: 0.6rem; border-bottom: 1px solid #e4e7ec; background: #fff; }
ol.history time { grid-row: span 2; color: #3b4452; font-variant-numeric: tabular-nums; white-space: nowrap; }
ol.history .what { margin: 0; overflow-wrap: anywhere; }
ol.history .who { margin: 0; color: #56606e; font-size: 0.9rem; grid-column: 2; }
ol.history .proof-slot { grid-column: 3; grid-row: 1 / span 2; text-align: right; }
ol.history .message-link { grid-column: 2; justify-self: start; font-size: 0.9rem; }
details.proof summary { cursor: pointer; font-weight: 600; white-space: nowrap; }
details.proof[open] { grid-column: 1 / -1; text-align: left; background: #f6f7f9; padding: 0.4rem; }
.proved { color: #17663a; }
.pending { color: #6b5300; }
.unproved { color: #a11a1a; font-weight: 600; }
.hash { font-family: ui-monospace, monospace; font-size: 0.8rem; overflow-wrap: anywhere; }
ol.history > li.step-unproved { border-left: 4px solid #a11a1a; background: #fdf0f0; }
ol.history .step-warning { grid-column: 1 / -1; margin: 0.2rem 0 0; }
details > summary { cursor: pointer; }
#message-block { border-top: 2px solid #123c69; margin-top: 1rem; }
@media (max-width: 1000px) {
  .detail-grid { grid-template-columns: 1fr; }
  .detail-side { order: 0; position: static; }
}
@media (max-width: 600px) {
  main { padding: 0.8rem 0.6rem; }
  header { padding: 0.5rem 0.6rem; }
  dl { grid-template-columns: 1fr; }
  dd { margin-bottom: 0.3rem; }
  ol.history > li { grid-template-columns: minmax(0, 1fr) auto; }
  ol.history time { grid-row: auto; grid-column: 1; white-space: normal; }
  table.stack tr.total th { display: block; }
  table.stack td.number { text-align: left; }
  ol.history .what, ol.history .who, ol.history .message-link { grid-column: 1; }
  ol.history .proof-slot { grid-column: 2; grid-row: 1; }
  #nav { flex-basis: 100%; }
}
${VIEWS_STYLE}`;
