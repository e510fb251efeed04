// Generated from browser/console.ts by `npm run build:console` (src/runtime/build/bundle-console-script.ts): do not edit.
/**
 * The officer console’s script, served as /console/console.js: browser/console.ts bundled into one script.
 * It keeps the officer’s token in sessionStorage and renders every value from the API with text nodes (never innerHTML).
 */
export const CONSOLE_SCRIPT = `"use strict";
(() => {
  // src/http/console/browser/http.ts
  var TOKEN = "swx.console.token";
  var SignedOut = class extends Error {
  };
  var Problem = class extends Error {
    status;
    body;
    constructor(status, body) {
      super(describe(status, body));
      this.status = status;
      this.body = body !== null && typeof body === "object" ? body : null;
    }
  };
  var token = {
    get: () => sessionStorage.getItem(TOKEN),
    set: (value) => sessionStorage.setItem(TOKEN, value),
    clear: () => sessionStorage.removeItem(TOKEN)
  };
  var signedOut = () => void 0;
  function whenSignedOut(handler) {
    signedOut = handler;
  }
  var messageOf = (error) => error instanceof Error ? error.message : String(error);
  function describe(status, body) {
    if (body === null || typeof body !== "object") return \`The service answered \${status}.\`;
    const problem = body;
    const detail = typeof problem.detail === "string" ? problem.detail : problem.title || \`The service answered \${status}\`;
    const fields = Array.isArray(problem.errors) ? problem.errors.map((e) => \`\${e.pointer}: \${e.detail}\`) : [];
    return [detail, ...fields].join("; ");
  }
  async function request(method, path, body, extraHeaders) {
    const bearer = token.get();
    if (!bearer) {
      signedOut("");
      throw new SignedOut();
    }
    const headers = { Authorization: \`Bearer \${bearer}\`, Accept: "application/json", ...extraHeaders };
    if (body !== void 0) headers["Content-Type"] = "application/json";
    let response;
    try {
      const init = { method, headers, cache: "no-store", credentials: "omit" };
      if (body !== void 0) init.body = JSON.stringify(body);
      response = await fetch(new URL(path, location.href).href, init);
    } catch (error) {
      throw new Problem(0, { detail: \`The service could not be reached (\${messageOf(error)}).\` });
    }
    const answer = await response.json().catch(() => null);
    if (response.status === 401) {
      token.clear();
      signedOut(describe(response.status, answer));
      throw new SignedOut();
    }
    if (!response.ok) throw new Problem(response.status, answer);
    return { answer, etag: response.headers.get("ETag") };
  }
  async function call(method, path, body) {
    return (await request(method, path, body)).answer;
  }

  // src/http/console/browser/dom.ts
  var nodeOf = (content) => content instanceof Node ? content : content === null || content === void 0 ? null : document.createTextNode(String(content));
  function h(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === void 0 || value === false) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children.map(nodeOf).filter((child) => child !== null));
    return node;
  }
  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== void 0 && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }
  function row(cells) {
    return h("tr", {}, ...cells.map((cell) => h("td", {}, cell)));
  }
  function table(id, headers, rows = []) {
    const body = h("tbody", {}, ...rows);
    const box = h(
      "div",
      { class: "table-box" },
      h("table", { id }, h("thead", {}, h("tr", {}, ...headers.map((header) => h("th", { scope: "col" }, header)))), body)
    );
    return { box, body };
  }
  function dl(id, pairs) {
    return h(
      "dl",
      { id },
      ...pairs.flatMap(([term2, value, key]) => [h("dt", {}, term2), h("dd", { "data-term": key ?? String(term2).toLowerCase() }, value)])
    );
  }
  function button(label, onClick, className) {
    const node = h("button", { type: "button", class: className }, label);
    node.addEventListener("click", onClick);
    return node;
  }
  var problemLine = (id) => h("p", { id, class: "problem", role: "alert" });
  async function attempt(problemElement, step) {
    problemElement.textContent = "";
    try {
      await step();
    } catch (error) {
      if (error instanceof SignedOut) return;
      problemElement.textContent = error instanceof Problem ? error.message : \`Unexpected error: \${messageOf(error)}\`;
    }
  }
  function channelBadge(channel) {
    return el("span", channel, /^[A-Z]+$/.test(channel) ? \`badge channel-\${channel}\` : "badge");
  }

  // src/http/console/browser/router.ts
  function parseHash(hash) {
    const [id = "", query = ""] = hash.replace(/^#\\/?/, "").split(/\\?(.*)/s, 2);
    return { id: decodeURIComponent(id), params: new URLSearchParams(query) };
  }
  function href(id, params = {}) {
    const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
    const query = new URLSearchParams(entries.filter((entry) => entry[1] !== void 0 && entry[1] !== ""));
    const text = query.toString();
    return \`#\${encodeURIComponent(id)}\${text === "" ? "" : \`?\${text}\`}\`;
  }
  function go(id, params = {}) {
    const next = href(id, params);
    if (location.hash === next) window.dispatchEvent(new HashChangeEvent("hashchange"));
    else location.hash = next;
  }

  // src/http/console/browser/terms-en.ts
  var EN = {
    console: "swx console",
    signIn: "Sign in",
    signOut: "Sign out",
    token: "API token",
    declarations: "Declarations",
    declaration: "Declaration",
    queue: "My queue",
    exportDeclaration: "Export declaration",
    importDeclaration: "Import declaration",
    kind: "Kind",
    status: "Status",
    channel: "Channel",
    partner: "Partner",
    documentType: "Document type",
    trader: "Trader",
    exporter: "Exporter",
    importer: "Importer",
    consignor: "Consignor",
    consignee: "Consignee",
    submitted: "Submitted",
    updated: "Updated",
    from: "From",
    to: "To",
    search: "Search",
    perPage: "Per page",
    nextPage: "Next page",
    firstPage: "First page",
    age: "Waiting",
    goods: "Goods",
    hsCode: "HS code",
    description: "Description",
    quantity: "Quantity",
    origin: "Origin",
    value: "Value",
    grossWeight: "Gross weight",
    netWeight: "Net weight",
    invoice: "Invoice",
    transport: "Transport",
    certificates: "Certificates",
    preference: "Preference decision",
    documents: "Documents",
    history: "History",
    decision: "Decision",
    decisions: "Decisions",
    action: "Action",
    reason: "Reason",
    recordDecision: "Record the decision",
    release: "Release",
    hold: "Hold",
    inspect: "Inspect (physical)",
    reject: "Reject",
    officer: "Officer",
    ledger: "Ledger",
    signature: "Signature",
    channelReasons: "Channel reasons",
    back: "Back to the list"
  };

  // src/http/console/browser/terms-vi.ts
  var VI = {
    signIn: "Đăng nhập",
    signOut: "Đăng xuất",
    declarations: "Tờ khai",
    declaration: "Tờ khai",
    queue: "Hồ sơ chờ xử lý",
    exportDeclaration: "Tờ khai xuất khẩu",
    importDeclaration: "Tờ khai nhập khẩu",
    status: "Trạng thái",
    channel: "Phân luồng",
    partner: "Đối tác",
    documentType: "Loại chứng từ",
    trader: "Doanh nghiệp",
    exporter: "Người xuất khẩu",
    importer: "Người nhập khẩu",
    submitted: "Ngày đăng ký",
    search: "Tìm kiếm",
    age: "Thời gian chờ",
    goods: "Hàng hóa",
    hsCode: "Mã HS",
    description: "Mô tả hàng hóa",
    quantity: "Số lượng",
    origin: "Xuất xứ",
    value: "Trị giá",
    grossWeight: "Trọng lượng cả bì",
    netWeight: "Trọng lượng tịnh",
    invoice: "Hóa đơn thương mại",
    transport: "Vận tải",
    certificates: "Giấy chứng nhận",
    preference: "Ưu đãi thuế quan",
    documents: "Chứng từ",
    history: "Lịch sử",
    decision: "Quyết định",
    reason: "Lý do",
    release: "Thông quan",
    hold: "Tạm dừng",
    inspect: "Kiểm tra thực tế",
    reject: "Từ chối",
    officer: "Cán bộ",
    ledger: "Sổ cái",
    signature: "Chữ ký số"
  };

  // src/http/console/browser/terms.ts
  var english = (key) => EN[key];
  function term(key) {
    const fragment = document.createDocumentFragment();
    fragment.append(EN[key]);
    const vietnamese = VI[key];
    if (vietnamese !== void 0) {
      const span = document.createElement("span");
      span.lang = "vi";
      span.className = "vi";
      span.textContent = vietnamese;
      fragment.append(" ", span);
    }
    return fragment;
  }

  // src/http/console/browser/views/declaration-words.ts
  var statusWords = {
    AWAITING_DOCUMENTS: true,
    UNDER_REVIEW: true,
    INSPECTION: true,
    HELD: true,
    RELEASED: true,
    REJECTED: true,
    CANCELLED: true
  };
  var channelWords = { GREEN: true, YELLOW: true, RED: true };
  var STATUSES = Object.keys(statusWords);
  var CHANNELS = Object.keys(channelWords);
  var DOCUMENT_TYPES = [
    "EXPORT_DECLARATION",
    "IMPORT_DECLARATION",
    "ACDD",
    "ACDD_CANCELLATION",
    "CUSTOMS_RESPONSE",
    "FORM_D",
    "FORM_D_STATUS",
    "EPHYTO",
    "EAH",
    "SPS_ACK"
  ];
  var ACTIONS = { release: "release", hold: "hold", inspect: "inspect", reject: "reject" };

  // src/http/console/browser/views/clearance-decision.ts
  function decisionBlock(view, etag, redraw) {
    const allowed = view.allowedActions.filter((action) => Object.hasOwn(ACTIONS, action));
    const problem = problemLine("decision-problem");
    const done = h("p", { id: "decision-done", class: "done", role: "status", tabindex: -1 });
    const reason = h("textarea", { id: "decision-reason", rows: 3, maxlength: 2e3, required: true });
    const form = h(
      "form",
      { id: "decision-form", hidden: allowed.length === 0 },
      h(
        "fieldset",
        { id: "decision-actions" },
        h("legend", {}, term("action")),
        ...allowed.map(
          (action) => h("label", {}, h("input", { type: "radio", name: "action", value: action, required: true }), " ", term(ACTIONS[action] ?? "action"))
        )
      ),
      h("label", { for: "decision-reason" }, term("reason")),
      reason,
      h("button", { type: "submit" }, term("recordDecision"))
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = form.querySelector('input[name="action"]:checked');
      done.textContent = "";
      if (!chosen || reason.value.trim() === "") {
        problem.textContent = "Choose an action and give the reason.";
        return;
      }
      decide(view.id, { action: chosen.value, reason: reason.value.trim() }, etag, redraw);
    });
    const none = h("p", { id: "no-decision", hidden: allowed.length > 0 }, \`No decision is possible while the declaration is \${view.status}.\`);
    return h(
      "section",
      { class: "decision", "aria-labelledby": "decision-heading" },
      h("h3", { id: "decision-heading" }, term("decision")),
      form,
      none,
      problem,
      done
    );
  }
  async function decide(id, decision, etag, redraw) {
    try {
      const { answer } = await request(
        "POST",
        \`v1/clearances/\${encodeURIComponent(id)}/decision\`,
        decision,
        etag ? { "If-Match": etag } : {}
      );
      const label = english(ACTIONS[answer.action] ?? "action");
      await redraw({ done: \`\${label} recorded: \${answer.previousStatus} → \${answer.status} (ledger index \${answer.ledgerIndex}).\` });
    } catch (error) {
      if (error instanceof Problem) await redraw({ problem: error.message });
      else throw error;
    }
  }

  // src/http/console/browser/views/clearance-history.ts
  function detailText(detail) {
    return Object.entries(detail || {}).map(([key, value]) => \`\${key}: \${typeof value === "string" ? value : JSON.stringify(value)}\`).join(", ");
  }
  async function showMessage(panel, problem, messageId) {
    await attempt(problem, async () => {
      const message = await call("GET", \`v1/messages/\${encodeURIComponent(messageId)}\`);
      panel.replaceChildren(
        h(
          "h3",
          { id: "message-title" },
          \`\${message.direction} \${message.documentType} \${message.messageId} (\${message.partner}, ledger index \${message.ledgerIndex})\`
        ),
        h("h4", {}, "Envelope"),
        h("pre", { id: "message-envelope" }, message.envelope),
        h("h4", {}, "Receipt"),
        h("pre", { id: "message-receipt" }, message.receipt === null ? "No receipt." : message.receipt)
      );
      panel.hidden = false;
      panel.scrollIntoView();
    });
  }
  function historyBlock(view) {
    const panel = h("div", { id: "message-block", hidden: true });
    const problem = problemLine("history-problem");
    const { box } = table(
      "history",
      ["Ledger index", "Step", "At", "Detail", "Message"],
      view.history.map((step) => {
        const { messageId } = step;
        const message = messageId ? button(messageId, () => showMessage(panel, problem, messageId), "link") : "";
        const tr = row([step.ledgerIndex, step.type, step.at, el("span", detailText(step.detail), "detail"), message]);
        tr.dataset["ledgerIndex"] = String(step.ledgerIndex);
        return tr;
      })
    );
    return h("section", {}, h("h3", {}, term("history")), problem, box, panel);
  }

  // src/http/console/browser/views/clearance.ts
  function traderOf(declaration) {
    if (typeof declaration !== "object" || declaration === null) return "";
    const { exporter, importer } = declaration;
    const party = exporter || importer;
    return party && typeof party.name === "string" ? party.name : "";
  }
  function summary(view) {
    return dl("detail-summary", [
      [term("status"), view.status, "status"],
      [term("channel"), channelBadge(view.channel), "channel"],
      [term("trader"), traderOf(view.declaration), "trader"],
      ["Party", view.partyId, "party"],
      [term("partner"), view.partner || "–", "partner"],
      [term("submitted"), view.submittedAt, "submitted"],
      [term("updated"), view.updatedAt, "updated"]
    ]);
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
      const warnings = h("ul", { class: "warnings" }, ...certificate.warnings.map((w) => el("li", \`\${w.code} at \${w.pointer}: \${w.message}\`)));
      item.append(el("p", \`Accepted with \${certificate.warnings.length} warning(s):\`, "warning"), warnings);
    } catch (error) {
      if (!(error instanceof SignedOut)) item.append(el("p", \`Its warnings could not be read: \${messageOf(error)}\`, "problem"));
    }
  }
  function preferenceBlock(preference) {
    const { box } = table(
      "preference-lines",
      ["Line", term("hsCode"), term("quantity"), "Outcome", "Form D item", term("reason")],
      preference.lines.map(
        (line) => row([line.line, line.hsCode, \`\${line.quantity} \${line.unit}\`, line.outcome, line.formDItemNumber, line.reasons.join("; ")])
      )
    );
    return h(
      "section",
      { id: "preference-block" },
      h("h3", {}, term("preference")),
      h("p", { id: "preference-summary" }, \`\${preference.outcome} under e-Form D \${preference.formDReference} from \${preference.issuingCountry}\`),
      box
    );
  }
  var decisionItem = (d) => el("li", \`#\${d.ledgerIndex} \${d.at} \${d.action} by \${d.officer}: \${d.reason}\`);
  function render(root, view, etag, redraw) {
    root.replaceChildren(
      h("a", { href: href("clearances"), class: "back" }, term("back")),
      h("h2", { id: "detail-title" }, \`\${view.kind === "IMPORT" ? "Import" : "Export"} declaration \${view.declarationNumber}\`),
      summary(view),
      h("h3", {}, term("channelReasons")),
      h(
        "ul",
        { id: "channel-reasons" },
        ...view.channelReasons.length === 0 ? [el("li", "No rule matched.")] : view.channelReasons.map((r) => el("li", \`\${r.rule}: \${r.detail}\`))
      ),
      view.requirements.length === 0 ? "" : h(
        "section",
        { id: "requirements-block" },
        h("h3", {}, term("certificates")),
        h("ul", { id: "requirements" }, ...view.requirements.map(requirementItem))
      ),
      view.preference ? preferenceBlock(view.preference) : "",
      decisionBlock(view, etag, redraw),
      h("h3", {}, term("decisions")),
      h("ul", { id: "decisions" }, ...view.decisions.length === 0 ? [el("li", "None yet.")] : view.decisions.map(decisionItem)),
      historyBlock(view)
    );
  }
  var clearanceView = {
    id: "clearance",
    label: "declaration",
    roles: ["officer"],
    hidden: true,
    async mount(root, params) {
      const id = params.get("id") ?? "";
      const detail = h("div", { id: "detail-view" });
      const problem = problemLine("detail-problem");
      root.append(problem, detail);
      const redraw = async (notice) => {
        await attempt(problem, async () => {
          const { answer, etag } = await request("GET", \`v1/clearances/\${encodeURIComponent(id)}\`);
          render(detail, answer, etag, redraw);
        });
        const line = notice.done ? detail.querySelector("#decision-done") : detail.querySelector("#decision-problem");
        if (line) {
          line.textContent = notice.done ?? notice.problem ?? "";
          if (line.textContent !== "") line.focus();
        }
      };
      await redraw({});
    }
  };

  // src/http/console/browser/format.ts
  var ICT = new Intl.DateTimeFormat("en-CA", {
    timeZone: "Asia/Ho_Chi_Minh",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23"
  });
  function inIct(iso) {
    if (!iso) return "";
    const at = new Date(iso);
    if (Number.isNaN(at.getTime())) return iso;
    const part = Object.fromEntries(ICT.formatToParts(at).map((p) => [p.type, p.value]));
    return \`\${part["year"]}-\${part["month"]}-\${part["day"]} \${part["hour"]}:\${part["minute"]}:\${part["second"]} ICT\`;
  }

  // src/http/console/browser/views/clearances.ts
  var FILTERS = ["status", "channel", "partner", "documentType", "from", "to", "q", "limit"];
  var choice = (id, values, selected, any = "any") => h(
    "select",
    { id },
    h("option", { value: "" }, any),
    ...values.map((value) => h("option", { value, selected: value === selected }, value.replaceAll("_", " ").toLowerCase()))
  );
  var labelled = (label, control) => h("label", {}, h("span", {}, label), control);
  function filterForm(params) {
    const value = (name) => params.get(name) ?? "";
    const form = h(
      "form",
      { id: "filter-form", "aria-label": "Filters" },
      labelled(term("status"), choice("filter-status", STATUSES, params.get("status"))),
      labelled(term("channel"), choice("filter-channel", CHANNELS, params.get("channel"))),
      labelled(term("partner"), h("input", { id: "filter-partner", maxlength: 64, value: value("partner"), placeholder: "TH, ID, …", size: 8 })),
      labelled(term("documentType"), choice("filter-documentType", DOCUMENT_TYPES, params.get("documentType"))),
      labelled(term("from"), h("input", { id: "filter-from", type: "date", value: value("from") })),
      labelled(term("to"), h("input", { id: "filter-to", type: "date", value: value("to") })),
      labelled(
        term("search"),
        h("input", { type: "search", id: "filter-q", maxlength: 200, value: value("q"), placeholder: "number, party, HS code or trader" })
      ),
      labelled(
        term("perPage"),
        h("select", { id: "filter-limit" }, ...["10", "50", "200"].map((n) => h("option", { selected: n === (params.get("limit") ?? "50") }, n)))
      ),
      h("button", { type: "submit" }, term("search"))
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const field = (name) => (form.querySelector(\`#filter-\${name}\`)?.value ?? "").trim();
      go("clearances", Object.fromEntries(FILTERS.map((name) => [name, field(name)])));
    });
    return form;
  }
  var clearancesView = {
    id: "clearances",
    label: "declarations",
    roles: ["officer"],
    async mount(root, params) {
      const problem = problemLine("list-problem");
      const { box, body } = table("clearances", [
        term("declaration"),
        term("kind"),
        term("status"),
        term("channel"),
        term("partner"),
        term("trader"),
        term("submitted")
      ]);
      const empty = h("p", { id: "list-empty", hidden: true }, "No declaration matches.");
      const pages = h("nav", { class: "pages", "aria-label": "Pages" });
      root.append(h("h2", {}, term("declarations")), filterForm(params), problem, box, empty, pages);
      await attempt(problem, async () => {
        const query = new URLSearchParams([...params].filter(([name]) => FILTERS.includes(name) || name === "cursor"));
        const page = await call("GET", \`v1/clearances?\${query.toString()}\`);
        body.replaceChildren(
          ...page.items.map(
            (item) => row([
              h("a", { href: href("clearance", { id: item.id }) }, item.declarationNumber),
              item.kind,
              item.status,
              channelBadge(item.channel),
              item.partner,
              item.trader,
              h("time", { datetime: item.submittedAt }, inIct(item.submittedAt))
            ])
          )
        );
        empty.hidden = page.items.length > 0;
        const { nextCursor } = page;
        const first = new URLSearchParams(params);
        first.delete("cursor");
        if (params.has("cursor")) pages.append(button(english("firstPage"), () => go("clearances", first)));
        if (nextCursor) pages.append(button(english("nextPage"), () => go("clearances", { ...Object.fromEntries(first), cursor: nextCursor })));
      });
    }
  };

  // src/http/console/browser/views.ts
  var VIEWS = [clearancesView, clearanceView];

  // src/http/console/browser/shell.ts
  var session = null;
  function $(id) {
    const node = document.getElementById(id);
    if (node === null) throw new Error(\`the page has no #\${id}\`);
    return node;
  }
  var usable = (view) => session !== null && (view.roles === void 0 || view.roles.includes(session.role));
  var labelOf = (view) => Object.hasOwn(EN, view.label) ? term(view.label) : view.label;
  function showLogin(problem) {
    session = null;
    $("login-view").hidden = false;
    $("view-root").replaceChildren();
    $("nav").replaceChildren();
    $("who").textContent = "";
    $("sign-out").hidden = true;
    $("login-error").textContent = problem;
    $("token").focus();
  }
  async function startSession() {
    try {
      session = await call("GET", "v1/session");
    } catch (error) {
      if (!(error instanceof SignedOut)) showLogin(error instanceof Problem ? error.message : messageOf(error));
      return false;
    }
    if (!VIEWS.some(usable)) {
      const roles = [...new Set(VIEWS.flatMap((view) => view.roles ?? []))].join(", ");
      token.clear();
      showLogin(\`role \${session.role} may not use the console (it serves \${roles})\`);
      return false;
    }
    $("login-view").hidden = true;
    $("sign-out").hidden = false;
    $("who").textContent = \`\${session.name} (\${session.role}, \${session.partyId})\`;
    return true;
  }
  function renderNav(current) {
    $("nav").replaceChildren(
      ...VIEWS.filter((view) => usable(view) && !view.hidden).map(
        (view) => h("a", { href: href(view.id), "aria-current": view === current ? "page" : void 0 }, labelOf(view))
      )
    );
  }
  async function route() {
    if (session === null) return;
    const { id, params } = parseHash(location.hash);
    const view = VIEWS.find((candidate) => candidate.id === id && usable(candidate)) ?? VIEWS.find((candidate) => usable(candidate) && !candidate.hidden);
    if (view === void 0) return;
    renderNav(view);
    const root = h("div", { class: \`view view-\${view.id}\` });
    $("view-root").replaceChildren(root);
    document.title = \`\${english("console")}: \${typeof view.label === "string" && Object.hasOwn(EN, view.label) ? english(view.label) : view.label}\`;
    try {
      await view.mount(root, params);
    } catch (error) {
      if (!(error instanceof SignedOut)) root.append(h("p", { class: "problem", role: "alert" }, \`Unexpected error: \${messageOf(error)}\`));
    }
  }
  async function startShell() {
    whenSignedOut(showLogin);
    $("login-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = $("token");
      const value = input.value.trim();
      if (!/^[\\x21-\\x7e]+$/.test(value)) {
        $("login-error").textContent = "A token is one word of visible ASCII characters.";
        return;
      }
      token.set(value);
      input.value = "";
      $("login-error").textContent = "";
      if (await startSession()) await route();
    });
    $("sign-out").addEventListener("click", () => {
      token.clear();
      showLogin("");
    });
    window.addEventListener("hashchange", () => route());
    if (token.get() && await startSession()) await route();
    else if (!token.get()) showLogin("");
  }

  // src/http/console/browser/console.ts
  startShell();
})();
`;
