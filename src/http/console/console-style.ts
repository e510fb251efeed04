/** The console's stylesheet, served as /console/console.css (the CSP allows no inline style). */
export const CONSOLE_STYLE = `
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
main { padding: 1rem 1.2rem; max-width: 84rem; }
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
td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
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
@media (max-width: 600px) {
  main { padding: 0.8rem 0.6rem; }
  header { padding: 0.5rem 0.6rem; }
  dl { grid-template-columns: 1fr; }
  dd { margin-bottom: 0.3rem; }
}
`;
