(function () {
  "use strict";
  // Row positions, as written by crates/report/src/html/mod.rs (`Row`).
  var CHECK = 0, TITLE = 1, SEV = 2, ST = 3, REASON = 4, RID = 5, RNAME = 6, RTYPE = 7,
      ACCOUNT = 8, REGION = 9, FIRST = 10, LAST = 11, WORKFLOW = 12, ID = 13, DETAIL = 14;
  var SEVERITIES = ["informational", "low", "medium", "high", "critical"];
  var STATUSES = ["PASSED", "FAILED", "WARNING", "NOT_AVAILABLE"];
  var STATUS_ORDER = [3, 0, 1, 2]; // FAILED, WARNING, NOT_AVAILABLE, PASSED
  var PAGE_SIZE = 100;

  var data = JSON.parse(document.getElementById("rampart-data").textContent);
  var checks = data.checks, rows = data.rows;
  var $ = function (id) { return document.getElementById(id); };
  var state = { q: "", status: "", severity: "", key: "", dir: 1, page: 0 };
  var view = [];
  var haystack = null;
  var open = {};

  function time(s) { return new Date(s * 1000).toISOString().replace(".000Z", "Z"); }

  function text(row) {
    var c = checks[row[CHECK]];
    return [c[0], row[TITLE], row[REASON], row[RID], row[RNAME], row[RTYPE], row[ACCOUNT],
      row[REGION], row[ID], row[DETAIL], STATUSES[row[ST]], SEVERITIES[row[SEV]]].join("\n").toLowerCase();
  }

  function defaultOrder(a, b) {
    var ra = rows[a], rb = rows[b];
    return STATUS_ORDER[ra[ST]] - STATUS_ORDER[rb[ST]] || rb[SEV] - ra[SEV] ||
      cmp(checks[ra[CHECK]][0], checks[rb[CHECK]][0]) || cmp(ra[RID], rb[RID]) || a - b;
  }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  var KEYS = {
    sev: function (r) { return r[SEV]; },
    status: function (r) { return STATUS_ORDER[r[ST]]; },
    check: function (r) { return checks[r[CHECK]][0]; },
    title: function (r) { return r[TITLE]; },
    resource: function (r) { return r[RID]; },
    account: function (r) { return r[ACCOUNT]; },
    region: function (r) { return r[REGION]; },
    last: function (r) { return r[LAST]; }
  };

  function recompute() {
    var q = state.q.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (q.length && !haystack) { haystack = rows.map(text); }
    var st = state.status, sev = state.severity;
    view = [];
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (st === "problems" ? !(r[ST] === 1 || r[ST] === 2) : st !== "" && r[ST] !== +st) { continue; }
      if (sev !== "" && r[SEV] !== +sev) { continue; }
      var ok = true;
      for (var j = 0; j < q.length && ok; j++) { ok = haystack[i].indexOf(q[j]) !== -1; }
      if (ok) { view.push(i); }
    }
    if (state.key) {
      var key = KEYS[state.key], dir = state.dir;
      view.sort(function (a, b) { return dir * cmp(key(rows[a]), key(rows[b])) || defaultOrder(a, b); });
    } else {
      view.sort(defaultOrder);
    }
    state.page = 0;
    draw();
  }

  function el(tag, cls, content) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (content !== undefined) { e.textContent = content; }
    return e;
  }

  // An identifier with a <wbr> after each separator run, as ids.rs writes them: lines
  // break between "arn:aws:" and "s3:::bucket", never inside a word.
  var SEP = /([\/:\-_.,@=|+]+)(?=.)/;
  function ident(tag, cls, s) {
    var e = el(tag, cls), parts = String(s).split(SEP);
    for (var p = 0; p < parts.length; p++) {
      if (!parts[p]) { continue; }
      e.appendChild(document.createTextNode(parts[p]));
      if (p % 2 === 1) { e.appendChild(document.createElement("wbr")); }
    }
    return e;
  }

  // Columns shown: below 1280 px the stylesheet hides account, region and last seen.
  function visibleColumns() {
    var ths = document.querySelectorAll("#grid thead th"), n = 0;
    for (var t = 0; t < ths.length; t++) { if (ths[t].offsetParent !== null) { n++; } }
    return n || 8;
  }

  function details(i) {
    var r = rows[i], c = checks[r[CHECK]];
    var tr = el("tr", "d"), td = el("td"), dl = el("dl");
    td.colSpan = visibleColumns();
    function item(label, value, code) {
      if (value === "" || value === undefined || value === null) { return; }
      dl.appendChild(el("dt", "", label));
      var dd = el("dd");
      if (code) { dd.appendChild(ident("code", "", value)); } else if (typeof value === "string") { dd.textContent = value; } else { dd.appendChild(value); }
      dl.appendChild(dd);
    }
    item("Reason", r[REASON]);
    item("Description", c[1]);
    item("Remediation", c[2]);
    item("CLI", c[3], true);
    if (/^https?:\/\//i.test(c[4])) {
      var a = el("a", "", c[4]);
      a.href = c[4]; a.target = "_blank"; a.rel = "noopener noreferrer";
      item("Documentation", a);
    }
    item("Requirements", c[5].join("\n"));
    item("Resource", r[RID] + (r[RNAME] ? " (" + r[RNAME] + ")" : "") + " · " + r[RTYPE], true);
    item("Detail", r[DETAIL]);
    item("Observed", time(r[FIRST]) + " … " + time(r[LAST]));
    item("Workflow", r[WORKFLOW]);
    item("Finding id", r[ID], true);
    td.appendChild(dl);
    tr.appendChild(td);
    return tr;
  }

  function draw() {
    var pages = Math.max(1, Math.ceil(view.length / PAGE_SIZE));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    var frag = document.createDocumentFragment();
    var end = Math.min(view.length, (state.page + 1) * PAGE_SIZE);
    for (var k = state.page * PAGE_SIZE; k < end; k++) {
      var i = view[k], r = rows[i];
      var tr = el("tr", "f");
      tr.setAttribute("data-i", i);
      var sev = SEVERITIES[r[SEV]], st = STATUSES[r[ST]];
      var resource = el("div");
      resource.appendChild(ident("code", "", r[RID]));
      resource.appendChild(ident("div", "narrow muted", r[ACCOUNT] + " · " + r[REGION] + " · " + time(r[LAST])));
      var cells = [el("span", "sev sev-" + sev, sev), ident("span", "st st-" + st, st),
        ident("code", "", checks[r[CHECK]][0]), r[TITLE], resource,
        ident("span", "", r[ACCOUNT]), ident("span", "", r[REGION]), time(r[LAST])];
      for (var j = 0; j < cells.length; j++) {
        var td = el("td", j >= 5 ? "wide" : "");
        if (typeof cells[j] === "string") { td.textContent = cells[j]; } else { td.appendChild(cells[j]); }
        tr.appendChild(td);
      }
      frag.appendChild(tr);
      if (open[i]) { frag.appendChild(details(i)); }
    }
    if (!view.length) {
      var none = el("tr"), td0 = el("td", "muted", "No finding matches.");
      td0.colSpan = visibleColumns(); none.appendChild(td0); frag.appendChild(none);
    }
    var body = $("rows");
    body.textContent = "";
    body.appendChild(frag);
    $("count").textContent = view.length.toLocaleString() + " of " + rows.length.toLocaleString() + " findings";
    $("page").textContent = "Page " + (state.page + 1) + " of " + pages;
    $("first").disabled = $("prev").disabled = state.page === 0;
    $("next").disabled = $("last").disabled = state.page >= pages - 1;
    var ths = document.querySelectorAll("#grid th[data-key]");
    for (var t = 0; t < ths.length; t++) {
      var th = ths[t];
      if (th.getAttribute("data-key") === state.key) {
        th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      } else {
        th.removeAttribute("aria-sort");
      }
    }
  }

  var timer = 0;
  $("q").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = $("q").value; recompute(); }, 150);
  });
  $("status").addEventListener("change", function () { state.status = this.value; recompute(); });
  $("severity").addEventListener("change", function () { state.severity = this.value; recompute(); });
  $("first").addEventListener("click", function () { state.page = 0; draw(); });
  $("prev").addEventListener("click", function () { state.page--; draw(); });
  $("next").addEventListener("click", function () { state.page++; draw(); });
  $("last").addEventListener("click", function () { state.page = Infinity; draw(); });
  document.querySelector("#grid thead").addEventListener("click", function (e) {
    var key = e.target.getAttribute && e.target.getAttribute("data-key");
    if (!key) { return; }
    if (state.key === key) { state.dir = -state.dir; } else { state.key = key; state.dir = key === "sev" || key === "last" ? -1 : 1; }
    recompute();
  });
  $("rows").addEventListener("click", function (e) {
    var tr = e.target.closest ? e.target.closest("tr.f") : null;
    if (!tr) { return; }
    var i = +tr.getAttribute("data-i");
    open[i] = !open[i];
    draw();
  });
  var cards = document.querySelectorAll(".card[data-status], .card[data-severity]");
  for (var c = 0; c < cards.length; c++) {
    cards[c].addEventListener("click", function () {
      var st = this.getAttribute("data-status"), sev = this.getAttribute("data-severity");
      state.status = st !== null ? st : this.getAttribute("data-problems") ? "problems" : "";
      state.severity = sev !== null ? sev : "";
      $("status").value = state.status;
      $("severity").value = state.severity;
      recompute();
      $("findings").scrollIntoView();
    });
  }
  recompute();

  // Compliance sections: the same filters over server-rendered rows, which are hidden,
  // never removed. Each status card selects its status (again: all statuses).
  var sections = document.querySelectorAll("section.compliance");
  for (var n = 0; n < sections.length; n++) { complianceFilters(sections[n]); }

  function complianceFilters(sec) {
    var q = sec.querySelector(".cq"), st = sec.querySelector(".cstatus"),
        sev = sec.querySelector(".csev"), count = sec.querySelector(".ccount"),
        trs = sec.querySelectorAll("tr.c"), hay = [];
    for (var i = 0; i < trs.length; i++) { hay.push(trs[i].textContent.toLowerCase()); }
    function apply() {
      var words = q.value.trim().toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      for (var i = 0; i < trs.length; i++) {
        var tr = trs[i], ok = (!st.value || tr.getAttribute("data-status") === st.value) &&
          (!sev.value || tr.getAttribute("data-severity") === sev.value);
        for (var w = 0; w < words.length && ok; w++) { ok = hay[i].indexOf(words[w]) !== -1; }
        tr.hidden = !ok;
        if (ok) { shown++; }
      }
      count.textContent = shown + " of " + trs.length + " controls";
      var cs = sec.querySelectorAll(".card[data-cstatus]");
      for (var c = 0; c < cs.length; c++) {
        cs[c].setAttribute("aria-pressed", String(cs[c].getAttribute("data-cstatus") === st.value));
      }
    }
    q.addEventListener("input", apply);
    st.addEventListener("change", apply);
    sev.addEventListener("change", apply);
    var cs = sec.querySelectorAll(".card[data-cstatus]");
    for (var c = 0; c < cs.length; c++) {
      cs[c].addEventListener("click", function () {
        var v = this.getAttribute("data-cstatus");
        st.value = st.value === v ? "" : v;
        apply();
      });
    }
    apply();
  }
})();
