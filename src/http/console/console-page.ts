import { Channel, DeclarationStatus } from '../../core/declaration/declaration.js';

/**
 * The console's Content-Security-Policy: its own script and style only, API calls to its own origin, no
 * framing, and no form ever submitted by the browser itself (a token must never travel in a URL).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const options = (values: readonly string[]): string =>
  values.map((value) => `<option value="${value}">${value.replaceAll('_', ' ').toLowerCase()}</option>`).join('');

/**
 * The officer console's page: a login form and the clearance views, filled by console.js from the JSON API.
 * It holds no data. URLs are relative, so it also works behind a reverse proxy that mounts swx under a prefix.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>swx officer console</title>
    <link rel="stylesheet" href="console/console.css" />
    <script src="console/console.js" defer></script>
  </head>
  <body>
    <header>
      <h1>swx officer console</h1>
      <button type="button" id="sign-out" hidden>Sign out</button>
    </header>
    <main>
      <section id="login-view">
        <form id="login-form">
          <h2>Sign in</h2>
          <p>Paste an API token with the role <code>officer</code>. It is kept in this tab only and sent to the API as a bearer token.</p>
          <label for="token">API token</label>
          <input type="password" id="token" autocomplete="off" spellcheck="false" required />
          <button type="submit">Sign in</button>
          <p id="login-error" class="problem" role="alert"></p>
        </form>
      </section>

      <section id="list-view" hidden>
        <form id="filter-form">
          <label>Status <select id="filter-status"><option value="">any</option>${options(DeclarationStatus.options)}</select></label>
          <label>Channel <select id="filter-channel"><option value="">any</option>${options(Channel.options)}</select></label>
          <label>Search <input type="search" id="filter-q" maxlength="200" placeholder="number, party, HS code or trader" /></label>
          <label>Per page <select id="filter-limit"><option>10</option><option selected>50</option><option>200</option></select></label>
          <button type="submit">Search</button>
        </form>
        <p id="list-problem" class="problem" role="alert"></p>
        <table id="clearances">
          <thead><tr><th>Declaration</th><th>Kind</th><th>Status</th><th>Channel</th><th>Partner</th><th>Trader</th><th>Submitted</th></tr></thead>
          <tbody></tbody>
        </table>
        <p id="list-empty" hidden>No declaration matches.</p>
        <nav>
          <button type="button" id="first-page" hidden>First page</button>
          <button type="button" id="next-page" hidden>Next page</button>
        </nav>
      </section>

      <section id="detail-view" hidden>
        <button type="button" id="back-to-list">Back to the list</button>
        <p id="detail-problem" class="problem" role="alert"></p>
        <h2 id="detail-title"></h2>
        <dl id="detail-summary"></dl>
        <h3>Channel reasons</h3>
        <ul id="channel-reasons"></ul>
        <div id="requirements-block" hidden><h3>Certificate requirements</h3><ul id="requirements"></ul></div>
        <div id="preference-block" hidden><h3>Preference decision</h3><p id="preference-summary"></p><table id="preference-lines"><thead><tr><th>Line</th><th>HS code</th><th>Quantity</th><th>Outcome</th><th>Form D item</th><th>Reasons</th></tr></thead><tbody></tbody></table></div>
        <h3>Decision</h3>
        <form id="decision-form">
          <fieldset id="decision-actions"><legend>Action</legend></fieldset>
          <label for="decision-reason">Reason</label>
          <textarea id="decision-reason" rows="3" maxlength="2000" required></textarea>
          <button type="submit">Record the decision</button>
        </form>
        <p id="no-decision" hidden></p>
        <p id="decision-problem" class="problem" role="alert"></p>
        <p id="decision-done" class="done" role="status"></p>
        <h3>Decisions</h3>
        <ul id="decisions"></ul>
        <h3>History</h3>
        <table id="history">
          <thead><tr><th>Ledger index</th><th>Step</th><th>At</th><th>Detail</th><th>Message</th></tr></thead>
          <tbody></tbody>
        </table>
        <div id="message-block" hidden>
          <h3 id="message-title"></h3>
          <h4>Envelope</h4><pre id="message-envelope"></pre>
          <h4>Receipt</h4><pre id="message-receipt"></pre>
        </div>
      </section>
    </main>
  </body>
</html>`;
