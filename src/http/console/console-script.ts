// Generated from browser/console.ts by `npm run build:console` (src/runtime/build/bundle-console-script.ts): do not edit.
/**
 * The officer console’s script, served as /console/console.js: browser/console.ts bundled into one script.
 * It keeps the officer’s token in sessionStorage and renders every value from the API with text nodes (never innerHTML).
 */
export const CONSOLE_SCRIPT = `"use strict";
(() => {
  // src/http/console/browser/console.ts
  var TOKEN = "swx.console.token";
  var ACTIONS = { release: "Release", hold: "Hold", inspect: "Inspect (physical)", reject: "Reject" };
  var list = { filter: {}, cursor: null, nextCursor: null };
  function $(id) {
    const node = document.getElementById(id);
    if (node === null) throw new Error(\`the page has no #\${id}\`);
    return node;
  }
  function $as(id, kind) {
    const node = $(id);
    if (!(node instanceof kind)) throw new Error(\`#\${id} is not a \${kind.name}\`);
    return node;
  }
  var api = (path) => new URL(path, location.href).href;
  var messageOf = (error) => error instanceof Error ? error.message : String(error);
  var SignedOut = class extends Error {
  };
  var Problem = class extends Error {
    status;
    constructor(status, body) {
      super(describe(status, body));
      this.status = status;
    }
  };
  function describe(status, body) {
    if (body === null || typeof body !== "object") return \`The service answered \${status}.\`;
    const problem = body;
    const detail = typeof problem.detail === "string" ? problem.detail : problem.title || \`The service answered \${status}\`;
    const fields = Array.isArray(problem.errors) ? problem.errors.map((e) => \`\${e.pointer}: \${e.detail}\`) : [];
    return [detail, ...fields].join("; ");
  }
  async function request(method, path, body, extraHeaders) {
    const token = sessionStorage.getItem(TOKEN);
    if (!token) {
      showLogin("");
      throw new SignedOut();
    }
    const headers = { Authorization: \`Bearer \${token}\`, Accept: "application/json", ...extraHeaders };
    if (body !== void 0) headers["Content-Type"] = "application/json";
    let response;
    try {
      const init = { method, headers, cache: "no-store", credentials: "omit" };
      if (body !== void 0) init.body = JSON.stringify(body);
      response = await fetch(api(path), init);
    } catch (error) {
      throw new Problem(0, { detail: \`The service could not be reached (\${messageOf(error)}).\` });
    }
    const answer = await response.json().catch(() => null);
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(TOKEN);
      showLogin(describe(response.status, answer));
      throw new SignedOut();
    }
    if (!response.ok) throw new Problem(response.status, answer);
    return { answer, etag: response.headers.get("ETag") };
  }
  async function call(method, path, body) {
    return (await request(method, path, body)).answer;
  }
  async function attempt(problemElement, step) {
    problemElement.textContent = "";
    try {
      await step();
    } catch (error) {
      if (error instanceof SignedOut) return;
      problemElement.textContent = error instanceof Problem ? error.message : \`Unexpected error: \${messageOf(error)}\`;
    }
  }
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== void 0 && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function row(cells) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const td = document.createElement("td");
      if (cell instanceof Node) td.append(cell);
      else td.textContent = cell === null || cell === void 0 ? "" : String(cell);
      tr.append(td);
    }
    return tr;
  }
  function bodyOf(tableId) {
    const body = $as(tableId, HTMLTableElement).tBodies[0];
    if (body === void 0) throw new Error(\`#\${tableId} has no tbody\`);
    return body;
  }
  function channelBadge(channel) {
    return el("span", channel, /^[A-Z]+$/.test(channel) ? \`badge channel-\${channel}\` : "badge");
  }
  function show(view) {
    for (const id of ["login-view", "list-view", "detail-view"]) $(id).hidden = id !== view;
    $("sign-out").hidden = view === "login-view";
  }
  function showLogin(problem) {
    show("login-view");
    $("login-error").textContent = problem;
    $("token").focus();
  }
  async function loadList() {
    show("list-view");
    await attempt($("list-problem"), async () => {
      const query = new URLSearchParams(list.filter);
      if (list.cursor) query.set("cursor", list.cursor);
      const page = await call("GET", \`v1/clearances?\${query.toString()}\`);
      list.nextCursor = page.nextCursor;
      bodyOf("clearances").replaceChildren(
        ...page.items.map((item) => {
          const open = el("button", item.declarationNumber, "link");
          open.type = "button";
          open.addEventListener("click", () => {
            location.hash = \`#clearance=\${encodeURIComponent(item.id)}\`;
          });
          return row([open, item.kind, item.status, channelBadge(item.channel), item.partner, item.trader, item.submittedAt]);
        })
      );
      $("list-empty").hidden = page.items.length > 0;
      $("next-page").hidden = !page.nextCursor;
      $("first-page").hidden = !list.cursor;
    });
  }
  async function loadDetail(id) {
    show("detail-view");
    await attempt($("detail-problem"), () => refreshDetail(\`v1/clearances/\${encodeURIComponent(id)}\`));
  }
  async function refreshDetail(path) {
    const { answer, etag } = await request("GET", path);
    renderDetail(answer);
    $("detail-view").dataset["etag"] = etag || "";
  }
  function traderOf(declaration) {
    if (typeof declaration !== "object" || declaration === null) return "";
    const { exporter, importer } = declaration;
    const party = exporter || importer;
    return party && typeof party.name === "string" ? party.name : "";
  }
  function renderDetail(view) {
    $("detail-view").dataset["id"] = view.id;
    $("detail-title").textContent = \`\${view.kind === "IMPORT" ? "Import" : "Export"} declaration \${view.declarationNumber}\`;
    const summary = [
      ["Status", view.status],
      ["Channel", channelBadge(view.channel)],
      ["Trader", traderOf(view.declaration)],
      ["Party", view.partyId],
      ["Partner", view.partner || "–"],
      ["Submitted", view.submittedAt],
      ["Updated", view.updatedAt]
    ];
    $("detail-summary").replaceChildren(
      ...summary.flatMap(([term, value]) => {
        const dd = el("dd");
        dd.append(value instanceof Node ? value : String(value));
        dd.dataset["term"] = term.toLowerCase();
        return [el("dt", term), dd];
      })
    );
    $("channel-reasons").replaceChildren(
      ...view.channelReasons.length === 0 ? [el("li", "No rule matched.")] : view.channelReasons.map((reason) => el("li", \`\${reason.rule}: \${reason.detail}\`))
    );
    $("requirements-block").hidden = view.requirements.length === 0;
    $("requirements").replaceChildren(...view.requirements.map(requirementItem));
    renderPreference(view.preference);
    renderDecisionForm(view);
    $("decisions").replaceChildren(...view.decisions.length === 0 ? [el("li", "None yet.")] : view.decisions.map(decisionItem));
    bodyOf("history").replaceChildren(
      ...view.history.map((step) => {
        let message = "";
        const { messageId } = step;
        if (messageId) {
          message = el("button", messageId, "link");
          message.type = "button";
          message.addEventListener("click", () => showMessage(messageId));
        }
        const tr = row([step.ledgerIndex, step.type, step.at, el("span", detailText(step.detail), "detail"), message]);
        tr.dataset["ledgerIndex"] = String(step.ledgerIndex);
        return tr;
      })
    );
    $("message-block").hidden = true;
  }
  function decisionItem(d) {
    return el("li", \`#\${d.ledgerIndex} \${d.at} \${d.action} by \${d.officer}: \${d.reason}\`);
  }
  function requirementItem(requirement) {
    const item = el("li", \`\${requirement.documentType} \${requirement.state}: \${requirement.detail}\`);
    if (requirement.certificateId) showCertificateWarnings(item, requirement.certificateId);
    return item;
  }
  async function showCertificateWarnings(item, certificateId) {
    try {
      const certificate = await call("GET", \`v1/certificates/\${encodeURIComponent(certificateId)}\`);
      if (!Array.isArray(certificate.warnings) || certificate.warnings.length === 0) return;
      const warnings = el("ul", void 0, "warnings");
      warnings.append(...certificate.warnings.map((w) => el("li", \`\${w.code} at \${w.pointer}: \${w.message}\`)));
      item.append(el("p", \`Accepted with \${certificate.warnings.length} warning(s):\`, "warning"), warnings);
    } catch (error) {
      if (!(error instanceof SignedOut)) item.append(el("p", \`Its warnings could not be read: \${messageOf(error)}\`, "problem"));
    }
  }
  function detailText(detail) {
    return Object.entries(detail || {}).map(([key, value]) => \`\${key}: \${typeof value === "string" ? value : JSON.stringify(value)}\`).join(", ");
  }
  function renderPreference(preference) {
    $("preference-block").hidden = !preference;
    if (!preference) return;
    $("preference-summary").textContent = \`\${preference.outcome} under e-Form D \${preference.formDReference} from \${preference.issuingCountry}\`;
    bodyOf("preference-lines").replaceChildren(
      ...preference.lines.map(
        (line) => row([line.line, line.hsCode, \`\${line.quantity} \${line.unit}\`, line.outcome, line.formDItemNumber, line.reasons.join("; ")])
      )
    );
  }
  function renderDecisionForm(view) {
    const allowed = view.allowedActions.filter((action) => Object.hasOwn(ACTIONS, action));
    $("decision-form").hidden = allowed.length === 0;
    $("no-decision").hidden = allowed.length > 0;
    $("no-decision").textContent = \`No decision is possible while the declaration is \${view.status}.\`;
    $("decision-actions").replaceChildren(
      el("legend", "Action"),
      ...allowed.map((action) => {
        const label = el("label");
        const input = document.createElement("input");
        input.type = "radio";
        input.name = "action";
        input.value = action;
        input.required = true;
        label.append(input, \` \${ACTIONS[action]}\`);
        return label;
      })
    );
    $as("decision-reason", HTMLTextAreaElement).value = "";
  }
  async function showMessage(messageId) {
    await attempt($("detail-problem"), async () => {
      const message = await call("GET", \`v1/messages/\${encodeURIComponent(messageId)}\`);
      $("message-title").textContent = \`\${message.direction} \${message.documentType} \${message.messageId} (\${message.partner}, ledger index \${message.ledgerIndex})\`;
      $("message-envelope").textContent = message.envelope;
      $("message-receipt").textContent = message.receipt === null ? "No receipt." : message.receipt;
      $("message-block").hidden = false;
      $("message-block").scrollIntoView();
    });
  }
  function route() {
    const match = /^#clearance=(.+)$/.exec(location.hash);
    if (match?.[1]) return loadDetail(decodeURIComponent(match[1]));
    return loadList();
  }
  function decide(event) {
    event.preventDefault();
    const id = $("detail-view").dataset["id"] ?? "";
    const chosen = document.querySelector('#decision-actions input[name="action"]:checked');
    const reason = $as("decision-reason", HTMLTextAreaElement).value.trim();
    $("decision-done").textContent = "";
    if (!chosen || reason === "") {
      $("decision-problem").textContent = "Choose an action and give the reason.";
      return;
    }
    attempt($("decision-problem"), async () => {
      const path = \`v1/clearances/\${encodeURIComponent(id)}\`;
      const etag = $("detail-view").dataset["etag"];
      const precondition = etag ? { "If-Match": etag } : {};
      const decision = { action: chosen.value, reason };
      const { answer } = await request(
        "POST",
        \`\${path}/decision\`,
        decision,
        precondition
      ).catch(async (error) => {
        if (error instanceof Problem && error.status === 409) await refreshDetail(path);
        throw error;
      });
      await refreshDetail(path);
      $("decision-done").textContent = \`\${ACTIONS[answer.action]} recorded: \${answer.previousStatus} → \${answer.status} (ledger index \${answer.ledgerIndex}).\`;
    });
  }
  function start() {
    $("login-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $as("token", HTMLInputElement);
      const token = input.value.trim();
      if (!/^[\\x21-\\x7e]+$/.test(token)) {
        $("login-error").textContent = "A token is one word of visible ASCII characters.";
        return;
      }
      sessionStorage.setItem(TOKEN, token);
      input.value = "";
      $("login-error").textContent = "";
      route();
    });
    $("sign-out").addEventListener("click", () => {
      sessionStorage.removeItem(TOKEN);
      showLogin("");
    });
    $("filter-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const filter = {
        status: $as("filter-status", HTMLSelectElement).value,
        channel: $as("filter-channel", HTMLSelectElement).value,
        q: $as("filter-q", HTMLInputElement).value.trim(),
        limit: $as("filter-limit", HTMLSelectElement).value
      };
      list.filter = Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== ""));
      list.cursor = null;
      loadList();
    });
    $("next-page").addEventListener("click", () => {
      list.cursor = list.nextCursor;
      loadList();
    });
    $("first-page").addEventListener("click", () => {
      list.cursor = null;
      loadList();
    });
    $("back-to-list").addEventListener("click", () => {
      location.hash = "";
    });
    $as("decision-form", HTMLFormElement).addEventListener("submit", decide);
    window.addEventListener("hashchange", () => {
      $("decision-problem").textContent = "";
      $("decision-done").textContent = "";
      if (sessionStorage.getItem(TOKEN)) route();
    });
    if (sessionStorage.getItem(TOKEN)) route();
    else showLogin("");
  }
  start();
})();
`;
