(function () {
  "use strict";
  var DATA = {};
  try { DATA = JSON.parse(document.getElementById("fitness-data").textContent) || {}; } catch (e) { DATA = {}; }

  var selects = document.querySelectorAll("select[data-filter]");
  var findings = document.querySelectorAll("li.finding");
  var counter = document.getElementById("shown-count");
  function applyFilters() {
    var shown = 0;
    findings.forEach(function (item) {
      var visible = true;
      selects.forEach(function (select) {
        var wanted = select.value;
        if (!wanted) { return; }
        var have = (item.getAttribute("data-" + select.getAttribute("data-filter")) || "").split(" ");
        if (have.indexOf(wanted) < 0) { visible = false; }
      });
      item.hidden = !visible;
      if (visible) { shown += 1; }
    });
    if (counter) { counter.textContent = String(shown); }
  }
  selects.forEach(function (select) { select.addEventListener("change", applyFilters); });

  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("thead th").forEach(function (header, column) {
      header.addEventListener("click", function () {
        var numeric = header.getAttribute("data-type") === "num";
        var descending = header.getAttribute("aria-sort") !== "descending";
        table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].textContent, y = b.cells[column].textContent;
          var order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
          return descending ? -order : order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  /* ---- graphs: pan, zoom, search, focus, filters, finding highlight (names only ever as text) ---- */
  var READABLE = 0.8;   // px per point at the default zoom: 14 pt labels stay >= 11 px
  var MAX_HEIGHT = 640;
  var GRAPHS = DATA.graphs || {};
  var live = {};        // ident -> graph controller, for the graphs in the document

  function fullName(view, name) {
    return view.within && name !== view.within ? view.within + "." + name : name;
  }
  function plainName(subject) {
    var name = String(subject).replace(/^(service|table|datastore|topic|library|module|package|external):/, "");
    return /^datastore:/.test(subject) ? name.split("/")[0] : name;
  }
  function nodeIndex(view) {
    if (!view.byName) {
      view.byName = {};
      view.nodes.forEach(function (node, i) { view.byName[fullName(view, node[0])] = i; });
      (view.members || []).forEach(function (entry) {   // a collapsed domain stands for its members
        entry[1].forEach(function (name) { view.byName[name] = entry[0]; });
      });
    }
    return view.byName;
  }
  function locate(view, subject) {   // a node of the view for a name: itself, else its closest package
    var index = nodeIndex(view), name = plainName(subject);
    while (name) {
      if (Object.prototype.hasOwnProperty.call(index, name)) { return index[name]; }
      var dot = name.lastIndexOf(".");
      name = dot > 0 ? name.slice(0, dot) : "";
    }
    return -1;
  }
  function matchFinding(view, finding) {
    var nodes = {}, edges = {}, count = 0, paired = false;
    (finding.nodes || []).forEach(function (name) {
      var i = locate(view, name);
      if (i >= 0 && !nodes[i]) { nodes[i] = true; count += 1; }
    });
    var byPair = {};
    view.edges.forEach(function (edge, j) { byPair[edge[0] + ">" + edge[1]] = j; });
    (finding.pairs || []).forEach(function (pair) {
      var a = locate(view, pair[0]), b = locate(view, pair[1]), j = byPair[a + ">" + b];
      if (a >= 0 && b >= 0 && a !== b && j !== undefined) { edges[j] = true; paired = true; }
    });
    if (!paired) {
      view.edges.forEach(function (edge, j) { if (nodes[edge[0]] && nodes[edge[1]]) { edges[j] = true; } });
    }
    return {nodes: nodes, edges: edges, count: count};
  }

  function Graph(root) {
    var ident = root.getAttribute("data-graph");
    var info = GRAPHS[ident] || {shown: 0, views: []};
    var state = {view: info.shown || 0, focus: -1, box: -1, hops: 1, query: "", mark: null, infra: false, off: {}};
    var stages = {}, current = null;
    var bar = root.querySelector(".gv-bar"), note = root.querySelector(".gv-info");
    var panel = root.querySelector(".gv-panel");

    function stage(k) {
      if (stages[k]) { return stages[k]; }
      var element = root.querySelector(".gv-stage[data-view=\"" + k + "\"]");
      if (!element) {
        var template = root.querySelector("template[data-view=\"" + k + "\"]");
        element = document.createElement("div");
        element.className = "gv-stage";
        element.setAttribute("data-view", String(k));
        if (template) { element.appendChild(template.content.cloneNode(true)); }
        root.insertBefore(element, panel);
      }
      stages[k] = mount(element, k);
      return stages[k];
    }

    function mount(element, k) {
      var view = info.views[k] || {nodes: [], edges: []};
      var svg = element.querySelector("svg");
      var prefix = ident + "-v" + k;
      var s = {element: element, view: view, svg: svg, nodes: [], edges: [], boxes: [], inside: {},
               box: element.querySelector(".svg")};
      if (!svg) { return s; }
      view.nodes.forEach(function (_, i) { s.nodes.push(document.getElementById(prefix + "-n" + i)); });
      view.edges.forEach(function (edge, j) {
        var el = document.getElementById(prefix + "-e" + j), title = el && el.querySelector("title");
        if (title && edge[4]) { title.textContent += " (" + edge[4] + ")"; }
        else if (title && edge[3] > 1) { title.textContent += " (" + edge[3] + " imports)"; }
        s.edges.push(el);
      });
      (view.boxes || []).forEach(function (entry, b) {   // a domain's box: [name, member indexes]
        s.boxes.push({name: entry[0], members: entry[1], el: document.getElementById(prefix + "-c" + b)});
      });
      (view.members || []).forEach(function (entry) { s.inside[entry[0]] = entry[1].join(" ").toLowerCase(); });
      var box = (svg.getAttribute("viewBox") || "0 0 100 100").split(/[\s,]+/).map(Number);
      s.W = box[2] || 100; s.H = box[3] || 100; s.X = box[0] || 0; s.Y = box[1] || 0;
      svg.removeAttribute("width"); svg.removeAttribute("height");
      svg.setAttribute("width", "100%"); svg.setAttribute("height", "100%");
      s.box.classList.add("zoomable");
      var width = s.box.clientWidth || 800;
      var natural = Math.min(4 / 3, Math.max(width / s.W, READABLE));
      s.box.style.height = Math.round(Math.max(140, Math.min(MAX_HEIGHT, s.H * natural + 8))) + "px";
      home(s);
      wire(s);
      return s;
    }

    function home(s) {   // the default zoom: the whole graph when it fits readably, else its hub
      var width = s.box.clientWidth || 800, height = s.box.clientHeight || MAX_HEIGHT;
      var fit = Math.min(width / s.W, height / s.H);
      s.scale = Math.min(4 / 3, Math.max(fit, READABLE));
      s.cx = s.X + s.W / 2; s.cy = s.Y + s.H / 2;
      if (fit < READABLE) {
        var degree = s.view.nodes.map(function () { return 0; }), best = -1;
        s.view.edges.forEach(function (e) { degree[e[0]] += 1; degree[e[1]] += 1; });
        degree.forEach(function (d, i) { if (visibleNode(s, i) && (best < 0 || d > degree[best])) { best = i; } });
        if (best >= 0) { centre(s, [s.nodes[best]], false); }
      }
      draw(s);
    }
    function fitAll(s) {
      var width = s.box.clientWidth || 800, height = s.box.clientHeight || MAX_HEIGHT;
      s.scale = Math.min(4 / 3, Math.min(width / s.W, height / s.H));
      s.cx = s.X + s.W / 2; s.cy = s.Y + s.H / 2;
      draw(s);
    }
    function draw(s) {
      if (!s.svg) { return; }
      var w = (s.box.clientWidth || 800) / s.scale, h = (s.box.clientHeight || MAX_HEIGHT) / s.scale;
      s.svg.setAttribute("viewBox", [s.cx - w / 2, s.cy - h / 2, w, h].map(function (v) { return v.toFixed(2); }).join(" "));
    }
    function zoom(s, factor, px, py) {
      var width = s.box.clientWidth || 800, height = s.box.clientHeight || MAX_HEIGHT;
      if (px === undefined) { px = width / 2; py = height / 2; }
      var ux = s.cx + (px - width / 2) / s.scale, uy = s.cy + (py - height / 2) / s.scale;
      s.scale = Math.max(0.03, Math.min(8, s.scale * factor));
      s.cx = ux - (px - width / 2) / s.scale; s.cy = uy - (py - height / 2) / s.scale;
      draw(s);
    }
    function centre(s, elements, zoomOut) {   // bring these SVG elements into the middle of the view
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      elements.forEach(function (el) {
        if (!el || !el.getBBox) { return; }
        var b = el.getBBox(), m = s.svg.getScreenCTM().inverse().multiply(el.getScreenCTM());
        [[b.x, b.y], [b.x + b.width, b.y + b.height]].forEach(function (p) {
          var x = m.a * p[0] + m.c * p[1] + m.e, y = m.b * p[0] + m.d * p[1] + m.f;
          x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
        });
      });
      if (x0 === Infinity) { return; }
      s.cx = (x0 + x1) / 2; s.cy = (y0 + y1) / 2;
      if (zoomOut) {
        var width = s.box.clientWidth || 800, height = s.box.clientHeight || MAX_HEIGHT;
        var need = Math.min(width / (x1 - x0 + 40), height / (y1 - y0 + 40));
        s.scale = Math.max(Math.min(need, 4 / 3, Math.max(s.scale, READABLE)), 0.05);
      }
      draw(s);
    }

    function wire(s) {
      var drag = null, moved = false;
      s.svg.addEventListener("wheel", function (event) {
        event.preventDefault();
        var r = s.box.getBoundingClientRect();
        zoom(s, Math.exp(-event.deltaY * 0.0015), event.clientX - r.left, event.clientY - r.top);
      }, {passive: false});
      s.svg.addEventListener("pointerdown", function (event) {
        drag = {x: event.clientX, y: event.clientY, cx: s.cx, cy: s.cy}; moved = false;
      });
      window.addEventListener("pointermove", function (event) {
        if (!drag) { return; }
        var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 4) { moved = true; s.box.classList.add("dragging"); }
        if (moved) { s.cx = drag.cx - dx / s.scale; s.cy = drag.cy - dy / s.scale; draw(s); }
      });
      window.addEventListener("pointerup", function () { drag = null; s.box.classList.remove("dragging"); });
      s.svg.addEventListener("click", function (event) {
        if (moved) { moved = false; return; }
        var node = event.target.closest ? event.target.closest("g.node") : null;
        var i = node ? s.nodes.indexOf(node) : -1;
        var box = !node && event.target.closest ? event.target.closest("g.cluster") : null;
        var b = box ? s.boxes.map(function (x) { return x.el; }).indexOf(box) : -1;
        if (b >= 0) { focusBox(b !== state.box ? b : -1); return; }
        focus(i >= 0 && i !== state.focus ? i : -1);
      });
    }

    function visibleNode(s, i) {
      var node = s.view.nodes[i];
      return !!node && (state.infra || node[2] !== "infra");
    }
    function apply() {
      var s = current;
      if (!s || !s.svg) { return; }
      var view = s.view, on = [], near = null;
      view.nodes.forEach(function (_, i) { on[i] = visibleNode(s, i); });
      var edgeOn = view.edges.map(function (e) { return !state.off[e[2]] && on[e[0]] && on[e[1]]; });
      var start = state.focus >= 0 ? [state.focus] : (state.box >= 0 && s.boxes[state.box] ? s.boxes[state.box].members : null);
      if (start) {
        near = {};
        start.forEach(function (i) { near[i] = true; });
        var frontier = start.slice();
        for (var hop = 0; hop < state.hops; hop += 1) {
          var next = [];
          view.edges.forEach(function (e, j) {
            if (!edgeOn[j]) { return; }
            frontier.forEach(function (f) {
              var other = e[0] === f ? e[1] : (e[1] === f ? e[0] : -1);
              if (other >= 0 && !near[other]) { near[other] = true; next.push(other); }
            });
          });
          frontier = next;
        }
      }
      var query = state.query, matches = [];
      s.nodes.forEach(function (el, i) {
        if (!el) { return; }
        var hit = !!query && on[i] && (fullName(view, view.nodes[i][0]).toLowerCase().indexOf(query) >= 0 ||
                                       (s.inside[i] || "").indexOf(query) >= 0);
        if (hit) { matches.push(el); }
        el.classList.toggle("off", !on[i]);
        el.classList.toggle("out", !!near && !near[i]);
        el.classList.toggle("match", hit);
        el.classList.toggle("focus", i === state.focus);
        el.classList.toggle("hl", !!state.mark && !!state.mark.nodes[i]);
      });
      s.edges.forEach(function (el, j) {
        if (!el) { return; }
        var e = view.edges[j];
        el.classList.toggle("off", !edgeOn[j]);
        el.classList.toggle("out", !!near && !(near[e[0]] && near[e[1]]));
        el.classList.toggle("hl", !!state.mark && !!state.mark.edges[j]);
      });
      s.boxes.forEach(function (box, b) {
        if (!box.el) { return; }
        box.el.classList.toggle("out", !!near && !box.members.some(function (i) { return near[i]; }));
        box.el.classList.toggle("focus", b === state.box);
      });
      root.classList.toggle("searching", !!query);
      root.classList.toggle("focusing", state.focus >= 0 || state.box >= 0);
      root.classList.toggle("highlighting", !!state.mark);
      return matches;
    }

    function say(text) { if (note) { note.textContent = text; } }
    function focus(i) {
      state.focus = i; state.box = -1;
      apply();
      var s = current, node = i >= 0 ? s.view.nodes[i] : null;
      panel.hidden = true;
      while (panel.firstChild) { panel.removeChild(panel.firstChild); }
      if (!node) { say("Drag to pan, wheel to zoom, click a node to focus on its neighbours."); return; }
      var name = fullName(s.view, node[0]), ins = 0, outs = 0;
      s.view.edges.forEach(function (e) { if (e[1] === i) { ins += 1; } if (e[0] === i) { outs += 1; } });
      say(name + ": " + ins + " in, " + outs + " out; showing what lies within " + state.hops + " hop" + (state.hops > 1 ? "s" : "") + " (click it again to see all)");
      var panelId = (DATA.panels || {})[name];
      var source = panelId && node[1] === "service" ? document.getElementById(panelId) : null;
      if (source) {
        var body = source.querySelector(".entity-body");
        if (body) { panel.appendChild(body.cloneNode(true)); panel.hidden = false; }
      }
      if (node[1] === "domain" && info.expanded !== undefined) {
        button("expand " + name, function () { expand(name); });
      }
      var inside = insideGraph(name);
      if (inside && inside !== ident) { button("module graph of " + name, function () { open(inside, null); }); }
    }

    function button(text, act) {   // an action after the info line (names only ever as text)
      var link = document.createElement("button");
      link.type = "button"; link.className = "inside-link";
      link.textContent = text;
      link.addEventListener("click", act);
      note.appendChild(document.createTextNode(" "));
      note.appendChild(link);
    }
    function focusBox(b) {   // a domain's box: its members and what lies within the hops around them
      if (b < 0) { focus(-1); return; }
      state.focus = -1; state.box = b;
      apply();
      panel.hidden = true;
      var box = current.boxes[b];
      say(box.name + ": " + box.members.length + " node" + (box.members.length === 1 ? "" : "s") +
          " in the box; showing what lies within " + state.hops + " hop" + (state.hops > 1 ? "s" : "") + " of them");
      if (info.collapsed !== undefined) { button("collapse " + box.name, function () { collapse(box.name); }); }
    }
    function refocus() { if (state.box >= 0) { focusBox(state.box); } else { focus(state.focus); } }
    function expand(name) {   // a collapsed domain node -> the view with its box, focused on the box
      if (info.expanded === undefined) { return; }
      select(info.expanded);
      var b = current.boxes.map(function (x) { return x.name; }).indexOf(name);
      if (b < 0) { return; }
      focusBox(b);
      centre(current, [current.boxes[b].el], true);
    }
    function collapse(name) {   // a box -> the collapsed view, focused on the domain's node
      if (info.collapsed === undefined) { return; }
      select(info.collapsed);
      var i = nodeIndex(current.view)[name];
      if (i === undefined) { return; }
      focus(i);
      centre(current, [current.nodes[i]], false);
    }
    function select(k) {
      var depth = bar.querySelector(".gv-depth");
      if (depth) { depth.value = String(k); }
      show(k);
    }

    function show(k) {
      if (current) { current.element.hidden = true; }
      state.view = k; state.focus = -1; state.box = -1; state.mark = null;
      current = stage(k);
      current.element.hidden = false;
      buildFilters();
      apply();
      focus(-1);
    }

    function buildFilters() {
      var holder = bar.querySelector(".gv-filters");
      while (holder.firstChild) { holder.removeChild(holder.firstChild); }
      var view = current.view, kinds = {}, infra = false;
      view.edges.forEach(function (e) { kinds[e[2]] = true; });
      view.nodes.forEach(function (n) { if (n[2] === "infra") { infra = true; } });
      var names = Object.keys(kinds).sort();
      function box(label, checked, change, cls) {
        var l = document.createElement("label"), input = document.createElement("input");
        input.type = "checkbox"; input.checked = checked; input.className = cls;
        input.addEventListener("change", function () { change(input.checked); apply(); });
        l.appendChild(input); l.appendChild(document.createTextNode(" " + label));
        holder.appendChild(l);
      }
      if (names.length > 1) {
        names.forEach(function (kind) {
          box(kind, !state.off[kind], function (v) { state.off[kind] = !v; }, "gv-kind");
        });
      }
      if (infra) { box("infrastructure", state.infra, function (v) { state.infra = v; }, "gv-infra"); }
    }

    bar.addEventListener("click", function (event) {
      var act = event.target.getAttribute && event.target.getAttribute("data-act");
      if (!act || !current || !current.svg) { return; }
      if (act === "in") { zoom(current, 1.25); }
      if (act === "out") { zoom(current, 0.8); }
      if (act === "fit") { fitAll(current); }
      if (act === "reset") {
        state.query = ""; state.mark = null;
        bar.querySelector(".gv-search").value = "";
        focus(-1); home(current);
      }
    });
    bar.querySelector(".gv-search").addEventListener("input", function (event) {
      state.query = event.target.value.trim().toLowerCase();
      var matches = apply();
      if (state.query) {
        say(matches.length + " node" + (matches.length === 1 ? "" : "s") + " match \u201c" + event.target.value.trim() + "\u201d");
        if (matches.length) { centre(current, matches, true); }
      } else { refocus(); }
    });
    bar.querySelector(".gv-hops").addEventListener("change", function (event) {
      state.hops = parseInt(event.target.value, 10) || 1; refocus();
    });
    var depth = bar.querySelector(".gv-depth");
    if (depth) { depth.addEventListener("change", function () { show(parseInt(depth.value, 10) || 0); }); }

    show(state.view);
    return {
      ident: ident,
      root: root,
      current: function () { return current; },
      expand: expand,
      collapse: collapse,
      mark: function (finding) {
        var found = matchFinding(current.view, finding);
        state.mark = found; state.focus = -1; focus(-1);
        apply();
        var elements = Object.keys(found.nodes).map(function (i) { return current.nodes[i]; });
        say(found.count + " node" + (found.count === 1 ? "" : "s") + " of the finding highlighted; reset clears it");
        root.scrollIntoView({block: "start"});
        centre(current, elements, true);
        return found.count;
      }
    };
  }

  function start(scope) {
    scope.querySelectorAll(".gv[data-graph]").forEach(function (root) {
      var ident = root.getAttribute("data-graph");
      if (!live[ident]) { live[ident] = new Graph(root); }
    });
  }
  function revealDetail() {
    var template = document.getElementById("detail-graphs");
    if (!template) { return; }
    var section = template.parentNode, holder = document.createElement("div");
    holder.appendChild(template.content.cloneNode(true));
    section.appendChild(holder);
    template.parentNode.removeChild(template);
    var button = section.querySelector(".show-detail");
    if (button) { button.parentNode.removeChild(button); }
    start(holder);
  }
  function insideGraph(name) {
    var found = null;
    Object.keys(GRAPHS).forEach(function (ident) {
      var view = GRAPHS[ident].views[0];
      if (view && view.within === name) { found = ident; }
    });
    return found;
  }
  function open(ident, finding) {
    if (!live[ident]) { revealDetail(); }
    var graph = live[ident];
    if (!graph) { return 0; }
    if (finding) { return graph.mark(finding); }
    graph.root.scrollIntoView({block: "start"});
    return 1;
  }

  document.querySelectorAll(".show-detail").forEach(function (button) {
    button.addEventListener("click", revealDetail);
  });
  document.querySelectorAll("li.finding button.locate").forEach(function (button) {
    button.addEventListener("click", function () {
      var item = button.closest("li.finding");
      var finding = (DATA.findings || [])[parseInt(item.getAttribute("data-finding"), 10)];
      var best = null, most = 0, order = [];   // page order: on a tie the graph higher up wins
      document.querySelectorAll(".gv[data-graph]").forEach(function (root) { order.push(root.getAttribute("data-graph")); });
      Object.keys(GRAPHS).forEach(function (ident) { if (order.indexOf(ident) < 0) { order.push(ident); } });
      order.forEach(function (ident) {
        if (!GRAPHS[ident]) { return; }
        var graph = live[ident];
        var view = graph ? graph.current().view : GRAPHS[ident].views[GRAPHS[ident].shown || 0];
        if (!view || !finding) { return; }
        var count = matchFinding(view, finding).count;
        if (count > most) { most = count; best = ident; }
      });
      if (best) { open(best, finding); } else { button.textContent = "not in a graph"; button.disabled = true; }
    });
  });
  start(document);
})();
