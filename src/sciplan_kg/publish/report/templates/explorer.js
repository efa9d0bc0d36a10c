/* sciplan-kg task explorer: facets and full-text search over every task of every plan, from
   files on disk (no server, no network). data/index.js lists the plans and each facet's values
   with the plans they occur in; a plan's tasks (data/plans/<stem>.js) are loaded only when the
   facets chosen can match a task in it. The state lives in the address (#agency=kexie&role=lead),
   so a filtered view can be linked to. */
"use strict";
(function () {
  var PAGE = 100, PARALLEL = 16;
  var index = null, loaded = {}, waiting = {}, generation = 0, limit = PAGE;
  var FACETS = ["plan", "level", "measure", "agency", "type", "role", "group", "numeric"];
  var $ = function (id) { return document.getElementById(id); };

  window.SK = {
    index: function (data) { index = data; },
    plan: function (i, data) {
      loaded[i] = data;
      (waiting[i] || []).forEach(function (f) { f(); });
      delete waiting[i];
    }
  };

  function load(i) {
    return new Promise(function (resolve) {
      if (loaded[i]) return resolve();
      if (waiting[i]) return waiting[i].push(resolve);
      waiting[i] = [resolve];
      var s = document.createElement("script");
      s.src = "data/plans/" + index.plans[i].stem + ".js";
      s.onerror = function () { loaded[i] = { agencies: [], measures: [], tasks: [], error: true }; SK.plan(i, loaded[i]); };
      document.head.appendChild(s);
    });
  }

  function state() {
    var out = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      if (!kv) return;
      var p = kv.split("=");
      out[decodeURIComponent(p[0])] = decodeURIComponent((p[1] || "").replace(/\+/g, " "));
    });
    return out;
  }

  function setState(s) {
    var parts = [];
    Object.keys(s).sort().forEach(function (k) { if (s[k]) parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(s[k])); });
    location.hash = parts.join("&");
  }

  function option(select, value, label) {
    var o = document.createElement("option");
    o.value = value; o.textContent = label;
    select.appendChild(o);
  }

  function buildForm() {
    var plan = $("f-plan"), level = $("f-level");
    index.plans.forEach(function (p) { option(plan, p.stem, p.place + " · " + p.title + " (" + p.tasks + ")"); });
    index.levels.forEach(function (l) { option(level, l, l); });
    ["measure", "agency", "type", "group"].forEach(function (f) {
      index.facets[f].forEach(function (v) { option($("f-" + f), v[0], v[1] + " (" + v[2] + ")"); });
    });
    FACETS.concat(["q"]).forEach(function (f) {
      var el = $("f-" + f);
      el.addEventListener(f === "q" ? "input" : "change", function () {
        var s = state();
        s[f] = el.value;
        limit = PAGE;
        setState(s);
      });
    });
    $("more").addEventListener("click", function () { limit += PAGE; run(); });
    $("clear").addEventListener("click", function () { setState({}); });
  }

  function plansFor(s) {
    var ok = index.plans.map(function (p) {
      return (!s.plan || p.stem === s.plan) && (!s.level || p.level === s.level);
    });
    ["measure", "agency", "type", "group"].forEach(function (f) {
      if (!s[f]) return;
      var v = index.facets[f].filter(function (x) { return x[0] === s[f]; })[0];
      if (!v) { ok = ok.map(function () { return false; }); return; }
      if (v[3] === -1) return;
      var has = {};
      v[3].forEach(function (i) { has[i] = true; });
      ok = ok.map(function (b, i) { return b && !!has[i]; });
    });
    var out = [];
    ok.forEach(function (b, i) { if (b) out.push(i); });
    return out;
  }

  function roleMatch(s, roles, plan) {
    var want = s.role || "";
    var anyAgency = !s.agency && !s.type;
    return roles.some(function (r) {
      var a = plan.agencies[r.agency];
      if (s.agency && a[1] !== s.agency) return false;
      if (s.type && a[2] !== s.type) return false;
      if (!want) return true;
      if (want === "support") return r.role === "support";
      if (r.role !== "lead") return false;
      return want === "lead" || (want === "lead-stated" ? r.stated : !r.stated);
    }) || (anyAgency && !want);
  }

  function matches(s, plan, t, words) {
    if (s.measure && plan.measures[t[1]][2] !== s.measure) return false;
    if (s.group && t[6].map(function (g) { return index.groups[g]; }).indexOf(s.group) < 0) return false;
    if (s.numeric === "yes" && !t[7].length) return false;
    if (s.numeric === "no" && t[7].length) return false;
    if (s.agency || s.type || s.role) {
      var roles = t[4].map(function (x) { return { agency: x[0], stated: !!x[1], role: "lead" }; })
        .concat(t[5].map(function (x) { return { agency: x[0], stated: !!x[1], role: "support" }; }));
      if (!roleMatch(s, roles, plan)) return false;
    }
    if (words.length) {
      var hay = (t[3] + " " + plan.measures[t[1]][2] + " " + t[4].concat(t[5]).map(function (x) {
        return plan.agencies[x[0]][0];
      }).join(" ") + " " + t[7].join(" ")).toLowerCase();
      for (var i = 0; i < words.length; i++) if (hay.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function agencyCell(plan, list) {
    var td = el("td");
    list.forEach(function (x, n) {
      var a = plan.agencies[x[0]];
      if (n) td.appendChild(document.createTextNode("、"));
      td.appendChild(el("a", { href: "agencies/" + a[1] + ".html", "class": x[1] ? "stated" : "inherited" }, a[0]));
      if (!x[1]) td.appendChild(el("span", { "class": "tag", title: "继承自举措 inherited from the measure" }, "继承"));
    });
    if (!list.length) td.textContent = "—";
    return td;
  }

  function row(i, t) {
    var p = index.plans[i], plan = loaded[i], m = plan.measures[t[1]];
    var tr = el("tr", { "class": "task", "data-task": p.stem + "#" + t[0] });
    var td = el("td");
    td.appendChild(el("a", { href: "plans/" + p.stem + ".html" }, p.place));
    tr.appendChild(td);
    tr.appendChild(el("td", {}, (m[0] === "action" ? "提升行动" : "重点工程") + m[1] + " " + m[2]));
    td = el("td", { "class": "num" });
    td.appendChild(el("a", { href: "plans/" + p.stem + ".html#task-" + t[0] }, String(t[2])));
    tr.appendChild(td);
    tr.appendChild(el("td", {}, t[3]));
    tr.appendChild(agencyCell(plan, t[4]));
    tr.appendChild(agencyCell(plan, t[5]));
    tr.appendChild(el("td", {}, t[6].map(function (g) { return index.groups[g]; }).join("、") || "—"));
    tr.appendChild(el("td", {}, t[7].join("；") || "—"));
    td = el("td");
    td.appendChild(el("a", { href: "sources/" + p.stem + ".html#" + t[0] }, t[8] ? "第" + t[8] + "行" : "原文"));
    tr.appendChild(td);
    return tr;
  }

  // Rows are matched plan by plan in the order of the plan list, each plan once, as its file
  // arrives: the count grows while plans load and the work is linear in the tasks read.
  function Run(s, order, total) {
    this.s = s; this.order = order; this.total = total; this.pos = 0; this.count = 0; this.shown = 0;
    this.words = (s.q || "").toLowerCase().split(/\s+/).filter(Boolean);
    $("rows").textContent = "";
  }
  Run.prototype.advance = function (done) {
    var frag = document.createDocumentFragment();
    while (this.pos < this.order.length && loaded[this.order[this.pos]]) {
      var i = this.order[this.pos++], plan = loaded[i], self = this;
      plan.tasks.forEach(function (t) {
        if (!matches(self.s, plan, t, self.words)) return;
        self.count++;
        if (self.shown < limit) { frag.appendChild(row(i, t)); self.shown++; }
      });
    }
    $("rows").appendChild(frag);
    var total = this.total === null ? this.count : this.total;
    $("count").textContent = String(total);
    $("shown").textContent = String(this.shown);
    $("status").textContent = done ? "" : "载入中 loading " + this.pos + "/" + this.order.length + " 个方案 plans…";
    $("more").hidden = this.shown >= total;
    document.body.setAttribute("data-state", done ? "ready" : "loading");
    if (done) {  // for tests and the curious: plan files read so far, milliseconds since the page opened
      document.body.setAttribute("data-loaded", String(Object.keys(loaded).length));
      document.body.setAttribute("data-ms", String(Math.round(performance.now())));
    }
  };

  function run() {
    var s = state(), mine = ++generation;
    FACETS.concat(["q"]).forEach(function (f) { $("f-" + f).value = s[f] || ""; });
    var order = plansFor(s);
    var taskFilters = ["q", "measure", "agency", "type", "role", "group", "numeric"].some(function (f) { return s[f]; });
    var total = null, wanted = order;
    if (!taskFilters) {
      // counts are in the index: read only the plans the page shows
      total = order.reduce(function (n, i) { return n + index.plans[i].tasks; }, 0);
      var need = 0;
      wanted = [];
      for (var k = 0; k < order.length && need < limit; k++) { wanted.push(order[k]); need += index.plans[order[k]].tasks; }
    }
    var r = new Run(s, wanted, total);
    document.body.setAttribute("data-state", "loading");
    var next = 0, active = 0, finished = 0;
    function pump() {
      if (mine !== generation) return;
      while (active < PARALLEL && next < wanted.length) {
        active++;
        load(wanted[next++]).then(function () {
          active--; finished++;
          if (mine !== generation) return;
          if (finished === wanted.length) r.advance(true);
          else { if (finished % 50 === 0) r.advance(false); pump(); }
        });
      }
    }
    if (!wanted.length) r.advance(true); else pump();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!index) { $("status").textContent = "data/index.js 未能载入 could not be loaded"; return; }
    $("plans-total").textContent = String(index.plans.length);
    buildForm();
    window.addEventListener("hashchange", run);
    run();
  });
})();
