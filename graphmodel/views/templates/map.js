"use strict";
// graphmodel map page: tooltips, details, focus on a party, filters, labels that do
// not collide, and PNG/SVG downloads. Model text only ever becomes text nodes
// (textContent, createTextNode): never innerHTML.
(function () {
  var started = performance.now();
  var DATA = JSON.parse(document.getElementById("map-data").textContent);
  var PROBLEMS = DATA.problems.rows;
  var BY_PARTY = DATA.problems.byParty;
  // The SVG namespace, from the legend's own drawings: the page spells no address.
  var SVGNS = document.querySelector("aside svg").namespaceURI;
  var DIM = 0.15;
  var tips = {};
  var labels = {};  // edge id -> its label, whether drawn now or only on hover

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function makeTip(tip) {
    var box = el("div", undefined, "tip");
    box.appendChild(el("h3", tip.title));
    var dl = el("dl");
    tip.rows.forEach(function (row) { dl.appendChild(el("dt", row[0])); dl.appendChild(el("dd", row[1])); });
    box.appendChild(dl);
    tip.quotes.forEach(function (q) {
      box.appendChild(el("blockquote", "¶ " + q[0] + ": “" + q[1] + "”"));
    });
    return box;
  }
  function withTip(item) {
    tips[item.id] = item.tip;
    item.title = makeTip(item.tip);
    delete item.tip;
    return item;
  }
  function edgeWithTip(item) {
    if (item.label) labels[item.id] = item.label;
    return withTip(item);
  }

  var nodes = new vis.DataSet(DATA.nodes.map(withTip));
  var edges = new vis.DataSet(DATA.edges.map(edgeWithTip));
  var container = document.getElementById("map");
  var network = new vis.Network(container, {}, DATA.options);
  var map = window.graphmap = {network: network, nodes: nodes, edges: edges, settled: false,
                               settleMs: null, find: find, focusParty: focusParty,
                               selectProblem: selectProblem, applyFilters: applyFilters,
                               placeLabels: placeLabels, labelBoxes: labelBoxes,
                               visible: visible, highlighted: null, svgText: svgText,
                               pngBlob: pngBlob, problems: PROBLEMS, matches: matches,
                               groupBoxes: groupBoxes, downloadLabels: downloadLabels};

  // Physics off, then after one drawing (edge curves exist only once drawn) place labels.
  function settle() {
    if (map.stilled) return;
    map.stilled = true;
    network.setOptions({physics: {enabled: false}});
    network.fit({animation: false});
    if (nodes.length) {
      network.once("afterDrawing", finish);
      network.redraw();
    } else finish();
  }
  function finish() {
    placeLabels();
    map.settled = true;
    map.settleMs = Math.round(performance.now() - started);
    document.body.setAttribute("data-settled", "yes");
    if (DATA.focus && tips[DATA.focus]) showDetails(DATA.focus);
  }
  network.once("stabilizationIterationsDone", settle);
  network.setData({nodes: nodes, edges: edges});
  if (nodes.length === 0) {
    document.getElementById("details").replaceChildren(el("p", "Nothing to show in this view.", "hint"));
    settle();
  } else if (DATA.options.physics && DATA.options.physics.enabled === false) {
    network.once("afterDrawing", settle);  // placed in columns: nothing to stabilise
  }

  // --- details and the selected party's problems -----------------------------------
  function showDetails(id) {
    var box = document.getElementById("details");
    box.replaceChildren(tips[id] ? makeTip(tips[id]) : el("p", "Nothing selected.", "hint"));
  }

  function problemButton(i, pressed) {
    var p = PROBLEMS[i];
    var button = el("button", undefined, p.severity);
    button.type = "button";
    button.setAttribute("data-problem", String(i));
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    button.appendChild(el("span", p.severity, "sev"));
    var rank = p.rank ? "#" + p.rank + " " : "";
    button.appendChild(document.createTextNode(" " + rank + p.kind + ": " + p.summary));
    if (p.why) button.title = p.why;  // why it ranks where it does
    button.addEventListener("click", function () { selectProblem(i); });
    return button;
  }

  function listProblems(id, pressed) {
    var box = document.getElementById("problems");
    var mine = BY_PARTY[id] || [];
    if (!nodes.get(id) || nodes.get(id).kind === "finding" || nodes.get(id).kind === "recommendation") {
      box.replaceChildren();
      return;
    }
    var title = el("h3", mine.length ? "Gaps and broken loops, worst first (" + mine.length + ")"
                                     : "No gaps or broken loops on this map");
    var list = el("ol");
    mine.forEach(function (i) {
      var li = el("li");
      li.appendChild(problemButton(i, i === pressed));
      list.appendChild(li);
    });
    box.replaceChildren(title, list);
    box.setAttribute("data-party", id);
  }

  // Dim everything but a set of nodes and edges; null brings everything back. Labels
  // drawn beside a shape ignore the node's opacity, so their font is faded too.
  var fonts = {};
  nodes.get().forEach(function (n) { fonts[n.id] = n.font || {}; });
  edges.get().forEach(function (e) { fonts[e.id] = e.font || {}; });
  function faded(font) {
    return Object.assign({}, font, {color: "rgba(120,120,120," + DIM + ")",
                                    strokeColor: "rgba(255,255,255," + DIM + ")"});
  }
  function highlight(keepNodes, keepEdges) {
    var n = keepNodes ? new Set(keepNodes) : null, e = keepEdges ? new Set(keepEdges) : null;
    map.highlighted = keepNodes ? Array.from(n) : null;
    nodes.update(nodes.get().map(function (x) {
      var keep = !n || n.has(x.id);
      return {id: x.id, opacity: keep ? 1 : DIM, font: keep ? fonts[x.id] : faded(fonts[x.id])};
    }));
    edges.update(edges.get().map(function (x) {
      var keep = !e || e.has(x.id);
      var c = Object.assign({}, x.color, {opacity: keep ? 1 : DIM});
      return {id: x.id, color: c, font: keep ? fonts[x.id] : faded(fonts[x.id])};
    }));
  }

  function focusParty(id) {
    var near = network.getConnectedNodes(id).concat([id]);
    highlight(near, network.getConnectedEdges(id));
    network.selectNodes([id]);
    showDetails(id);
    listProblems(id);
  }

  function selectProblem(i) {
    var p = PROBLEMS[i];
    highlight(p.parties, p.edges);
    network.setSelection({nodes: p.parties, edges: p.edges}, {unselectAll: true, highlightEdges: false});
    if (p.parties.length) network.fit({nodes: p.parties, animation: false, maxZoomLevel: 1.2});
    showDetails(p.edges[0]);
    var party = document.getElementById("problems").getAttribute("data-party");
    if (party) listProblems(party, i);
    map.selectedProblem = i;
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      var kind = nodes.get(params.nodes[0]).kind;
      if (kind === "finding" || kind === "recommendation") {
        highlight(null); showDetails(params.nodes[0]); listProblems(params.nodes[0]);
      } else focusParty(params.nodes[0]);
    } else if (params.edges.length) {
      highlight(null); showDetails(params.edges[0]);
    } else {
      highlight(null);
      showDetails(null);
      document.getElementById("problems").replaceChildren();
    }
  });

  // --- filters -------------------------------------------------------------------------
  function checked(name) {
    return new Set(Array.from(document.querySelectorAll("input[name=" + name + "]:checked"))
                   .map(function (i) { return i.value; }));
  }

  function applyFilters() {
    var statuses = checked("status"), kinds = checked("kind");
    var loopsOnly = document.getElementById("loops-only").checked;
    var shownNodes = new Set(nodes.get().filter(function (n) { return kinds.has(n.kind); })
                                        .map(function (n) { return n.id; }));
    var edgeUpdates = edges.get().map(function (e) {
      var show = shownNodes.has(e.from) && shownNodes.has(e.to);
      if (e.kind !== "link") show = show && statuses.has(e.status) && (!loopsOnly || e.loop);
      else show = show && !loopsOnly;
      return {id: e.id, hidden: !show};
    });
    edges.update(edgeUpdates);
    if (loopsOnly) {
      var ends = new Set();
      edgeUpdates.forEach(function (u) {
        if (!u.hidden) { var e = edges.get(u.id); ends.add(e.from); ends.add(e.to); }
      });
      shownNodes = new Set(Array.from(shownNodes).filter(function (id) { return ends.has(id); }));
    }
    nodes.update(nodes.get().map(function (n) { return {id: n.id, hidden: !shownNodes.has(n.id)}; }));
    placeLabels();
  }
  document.querySelectorAll("aside input[type=checkbox]").forEach(function (input) {
    input.addEventListener("change", applyFilters);
  });

  function visible() {
    return {nodes: nodes.get({filter: function (n) { return !n.hidden; }}).map(function (n) { return n.id; }),
            edges: edges.get({filter: function (e) { return !e.hidden; }}).map(function (e) { return e.id; })};
  }

  // --- labels only where they do not collide -------------------------------------------
  var measure = document.createElement("canvas").getContext("2d");

  function labelBox(id, text) {
    var edge = network.body.edges[id];
    var font = edges.get(id).font || {};
    var size = font.size || 14;
    measure.font = size + "px sans-serif";
    var p = edge.edgeType.getPoint(0.5);
    var w = measure.measureText(text).width + 6, h = size + 4;
    var y = font.align === "top" ? p.y - h : p.y - h / 2;
    return {id: id, left: p.x - w / 2, top: y, right: p.x + w / 2, bottom: y + h};
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Keep a label only where it overlaps no kept label and no party; the rest show on hover.
  function placeLabels() {
    var kept = [], obstacles = [];
    nodes.get({filter: function (n) { return !n.hidden; }}).forEach(function (n) {
      var b = network.getBoundingBox(n.id);
      obstacles.push({left: b.left, top: b.top, right: b.right, bottom: b.bottom});
    });
    var order = Object.keys(labels).sort(function (a, b) {
      return (edges.get(b).width || 0) - (edges.get(a).width || 0);
    });
    var updates = [];
    order.forEach(function (id) {
      var e = edges.get(id);
      if (!e || e.hidden || !network.body.edges[id]) return;
      var box = labelBox(id, labels[id]);
      var free = !kept.concat(obstacles).some(function (o) { return overlaps(box, o); });
      if (free) kept.push(box);
      updates.push({id: id, label: free ? labels[id] : " "});
    });
    edges.update(updates);
    map.shownLabels = kept.map(function (b) { return b.id; });
  }
  function labelBoxes() {
    return (map.shownLabels || []).map(function (id) { return labelBox(id, labels[id]); });
  }
  network.on("hoverEdge", function (params) {
    if (labels[params.edge] && (map.shownLabels || []).indexOf(params.edge) === -1) {
      edges.update({id: params.edge, label: labels[params.edge]});
    }
  });
  network.on("blurEdge", function (params) {
    if (labels[params.edge] && (map.shownLabels || []).indexOf(params.edge) === -1) {
      edges.update({id: params.edge, label: " "});
    }
  });
  network.on("dragEnd", function (params) { if (params.nodes.length) placeLabels(); });

  // --- organisations drawn as blocks around their parties (the system map) -------------
  var GROUPS = DATA.groups || [];
  var GROUP_FILL = "#eef3f8", GROUP_LINE = "#9fb3c8", GROUP_TEXT = "#1f4e79";
  function groupBoxes() {
    var out = [];
    GROUPS.forEach(function (g) {
      var members = nodes.get({filter: function (n) { return n.org === g.id && !n.hidden; }});
      if (!members.length || (members.length === 1 && members[0].id === g.id)) return;
      var box = {left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity};
      members.forEach(function (n) {
        var b = network.getBoundingBox(n.id);
        box = {left: Math.min(box.left, b.left), top: Math.min(box.top, b.top),
               right: Math.max(box.right, b.right), bottom: Math.max(box.bottom, b.bottom)};
      });
      var lit = !map.highlighted || members.some(function (n) { return map.highlighted.indexOf(n.id) !== -1; });
      out.push({id: g.id, name: g.name, left: box.left - 14, top: box.top - 30,
                right: box.right + 14, bottom: box.bottom + 12, opacity: lit ? 1 : 0.35});
    });
    return out;
  }
  network.on("beforeDrawing", function (ctx) {
    groupBoxes().forEach(function (b) {
      ctx.save();
      ctx.globalAlpha = b.opacity;
      ctx.fillStyle = GROUP_FILL;
      ctx.strokeStyle = GROUP_LINE;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.rect(b.left, b.top, b.right - b.left, b.bottom - b.top);
      ctx.fill();
      ctx.stroke();
      ctx.fillStyle = GROUP_TEXT;
      ctx.font = "600 15px sans-serif";
      ctx.fillText(b.name, b.left + 8, b.top + 19, b.right - b.left - 16);
      ctx.restore();
    });
  });

  // --- every flow labelled in a download: what passes and its status, short ----------------
  var LABEL_SIZE = 11;
  function downloadLabels() {
    var kept = [], obstacles = [], out = [];
    visible().nodes.forEach(function (id) { obstacles.push(network.getBoundingBox(id)); });
    measure.font = LABEL_SIZE + "px sans-serif";
    visible().edges.forEach(function (id) {
      var e = edges.get(id);
      if (!e.short || !network.body.edges[id]) return;
      var w = measure.measureText(e.short).width + 4, h = LABEL_SIZE + 3, type = network.body.edges[id].edgeType;
      var place = null;
      [0.5, 0.4, 0.6, 0.3, 0.7].some(function (t) {
        var p = type.getPoint(t), box = {left: p.x - w / 2, top: p.y - h / 2, right: p.x + w / 2, bottom: p.y + h / 2};
        if (kept.concat(obstacles).some(function (o) { return overlaps(box, o); })) return false;
        place = box;
        return true;
      });
      if (!place) {  // no free place: at the middle all the same, so no arrow goes bare
        var m = type.getPoint(0.5);
        place = {left: m.x - w / 2, top: m.y - h / 2, right: m.x + w / 2, bottom: m.y + h / 2};
      }
      kept.push(place);
      out.push({id: id, text: e.short, x: (place.left + place.right) / 2, y: place.bottom - 3,
                colour: (e.color && e.color.color) || "#333333",
                opacity: e.color && e.color.opacity !== undefined ? e.color.opacity : 1});
    });
    return out;
  }

  // --- search ----------------------------------------------------------------------------
  var names = document.getElementById("party-names");
  nodes.get().forEach(function (n) { var o = el("option"); o.value = n.plain; names.appendChild(o); });

  // Exact names, ids and aliases first, then names it abbreviates ("ED": emergency
  // department), then whole words, then word starts, then anywhere: "ED" must not
  // find "Child in need meetings" before the emergency departments.
  var WORDCHAR = /[\p{L}\p{N}]/u;
  function initials(text, q) {  // "ED": the initials of "emergency department"
    var words = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    for (var i = 0; i + q.length <= words.length; i++) {
      if (words.slice(i, i + q.length).map(function (w) { return w[0]; }).join("") === q) return true;
    }
    return false;
  }
  function tier(n, q) {
    if (n.names && n.names.indexOf(q) !== -1) return 0;
    if (q.length > 1 && !/\s/.test(q) && initials(n.plain.toLowerCase(), q)) return 1;
    var best = 9, text = n.search, at = text.indexOf(q);
    while (at !== -1) {
      var starts = at === 0 || !WORDCHAR.test(text[at - 1]);
      var ends = at + q.length >= text.length || !WORDCHAR.test(text[at + q.length]);
      best = Math.min(best, starts ? (ends ? 2 : 3) : 4);
      at = text.indexOf(q, at + 1);
    }
    return best;
  }
  function matches(query) {
    var q = String(query).trim().toLowerCase();
    if (!q) return [];
    return nodes.get().map(function (n, i) { return {n: n, tier: tier(n, q), i: i}; })
      .filter(function (m) { return m.tier < 9; })
      .sort(function (a, b) { return a.tier - b.tier || a.i - b.i; })
      .map(function (m) { return m.n; });
  }
  var lastSearch = {query: null, next: 0};

  // Find the best match; the same query again finds the next one.
  function find(query) {
    var out = document.getElementById("search-result");
    var found = matches(query);
    if (!String(query).trim()) { out.textContent = ""; return null; }
    if (!found.length) { out.textContent = "No party matches “" + query + "”"; return null; }
    var again = lastSearch.query === String(query).trim().toLowerCase();
    var k = again ? lastSearch.next % found.length : 0;
    lastSearch = {query: String(query).trim().toLowerCase(), next: k + 1};
    var hit = found[k];
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: Math.max(network.getScale(), 1.0), animation: false});
    showDetails(hit.id);
    listProblems(hit.id);
    out.textContent = "Found: " + hit.plain + (found.length > 1 ? " (" + (k + 1) + " of " +
      found.length + ": Find again for the next)" : "");
    return hit.id;
  }
  document.getElementById("search-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    find(document.getElementById("search").value);
  });

  // --- downloads: the map as you see it ------------------------------------------------------
  function save(blob, name) {
    var a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // The canvas as drawn, with the hover labels taken off and every flow's short label on.
  function pngBlob(done) {
    var source = container.querySelector("canvas");
    var shown = edges.get({filter: function (e) { return e.label && e.label.trim(); }});
    edges.update(shown.map(function (e) { return {id: e.id, label: " "}; }));
    network.redraw();
    var canvas = document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    var ctx = canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(source, 0, 0);
    edges.update(shown.map(function (e) { return {id: e.id, label: e.label}; }));
    network.redraw();
    var scale = network.getScale();
    ctx.font = Math.round(LABEL_SIZE * Math.max(scale, 0.8) * ratio) + "px sans-serif";
    ctx.textAlign = "center";
    ctx.lineWidth = 3 * ratio;
    ctx.strokeStyle = "#ffffff";
    downloadLabels().forEach(function (l) {
      var p = network.canvasToDOM({x: l.x, y: l.y});
      ctx.globalAlpha = l.opacity;
      ctx.strokeText(l.text, p.x * ratio, p.y * ratio);
      ctx.fillStyle = l.colour;
      ctx.fillText(l.text, p.x * ratio, p.y * ratio);
    });
    ctx.globalAlpha = 1;
    ctx.textAlign = "left";
    ctx.fillStyle = "#1b1b1b";
    ctx.font = "600 " + Math.round(16 * ratio) + "px sans-serif";
    ctx.fillText(document.getElementById("title").textContent, 12, 24);
    canvas.toBlob(done, "image/png");
  }
  document.getElementById("download-png").addEventListener("click", function () {
    pngBlob(function (blob) { save(blob, DATA.file + ".png"); });
  });

  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function opacityOf(item) { return item.opacity === undefined ? 1 : item.opacity; }

  // The curve of an edge as points, from vis-network's own geometry.
  function edgePoints(id) {
    var type = network.body.edges[id].edgeType, points = [];
    for (var i = 0; i <= 24; i++) points.push(type.getPoint(i / 24));
    return points;
  }
  function inside(p, b) { return p.x > b.left && p.x < b.right && p.y > b.top && p.y < b.bottom; }

  function svgEdge(svg, e, boxes) {
    var points = edgePoints(e.id);
    var end = boxes[e.to], start = boxes[e.from];
    var trimmed = points.filter(function (p) { return !(end && inside(p, end)) && !(start && inside(p, start)); });
    if (trimmed.length < 2) trimmed = points;
    var colour = (e.color && e.color.color) || "#8f8f8f";
    var opacity = e.color && e.color.opacity !== undefined ? e.color.opacity : 1;
    var attrs = {d: "M" + trimmed.map(function (p) { return p.x.toFixed(1) + " " + p.y.toFixed(1); }).join(" L"),
                 fill: "none", stroke: colour, "stroke-width": e.width || 1, opacity: opacity,
                 "data-edge": e.id};
    if (e.dashes) attrs["stroke-dasharray"] = e.dashes.join(" ");
    var g = svgEl("g", {});
    g.appendChild(svgEl("path", attrs));
    var arrow = e.arrows === "to" || (e.arrows && e.arrows.to && e.arrows.to.enabled);
    if (arrow) {
      var tip = trimmed[trimmed.length - 1], back = trimmed[Math.max(0, trimmed.length - 3)];
      var angle = Math.atan2(tip.y - back.y, tip.x - back.x), size = 6 + (e.width || 1) * 1.5;
      var left = {x: tip.x - size * Math.cos(angle - 0.45), y: tip.y - size * Math.sin(angle - 0.45)};
      var right = {x: tip.x - size * Math.cos(angle + 0.45), y: tip.y - size * Math.sin(angle + 0.45)};
      g.appendChild(svgEl("polygon", {points: [tip, left, right].map(function (p) {
        return p.x.toFixed(1) + "," + p.y.toFixed(1); }).join(" "), fill: colour, opacity: opacity}));
    }
    if (e.inferred) {
      var mid = points[12];
      g.appendChild(svgEl("circle", {cx: mid.x, cy: mid.y, r: 4, fill: colour, opacity: opacity}));
    }
    svg.appendChild(g);
  }

  function svgNode(svg, n, box) {
    var body = network.body.nodes[n.id], x = body.x, y = body.y, shape = body.shape;
    var w = shape.width || 2 * (n.size || 16), h = shape.height || 2 * (n.size || 16);
    var c = n.color || {}, attrs = {fill: c.background || "#cccccc", stroke: c.border || "#333333",
                                    "stroke-width": n.borderWidth || 1.5};
    if (n.shapeProperties && n.shapeProperties.borderDashes) attrs["stroke-dasharray"] = "5 3";
    var g = svgEl("g", {opacity: opacityOf(n), "data-node": n.id});
    var r = Math.min(w, h) / 2, labelBelow = true;
    if (n.shape === "box") {
      g.appendChild(svgEl("rect", Object.assign({x: x - w / 2, y: y - h / 2, width: w, height: h, rx: 3}, attrs)));
      labelBelow = false;
    } else if (n.shape === "ellipse") {
      g.appendChild(svgEl("ellipse", Object.assign({cx: x, cy: y, rx: w / 2, ry: h / 2}, attrs)));
      labelBelow = false;
    } else {
      var s = (n.size || 16), pts;
      if (n.shape === "diamond") pts = [[0, -s], [s, 0], [0, s], [-s, 0]];
      else if (n.shape === "triangle") pts = [[0, -s], [s * 0.87, s * 0.5], [-s * 0.87, s * 0.5]];
      else if (n.shape === "square") pts = [[-s, -s], [s, -s], [s, s], [-s, s]];
      else if (n.shape === "hexagon") pts = [0, 1, 2, 3, 4, 5].map(function (k) {
        return [s * Math.cos(Math.PI / 3 * k), s * Math.sin(Math.PI / 3 * k)]; });
      else if (n.shape === "star") pts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map(function (k) {
        var rr = k % 2 ? s * 0.45 : s, a = -Math.PI / 2 + Math.PI / 5 * k;
        return [rr * Math.cos(a), rr * Math.sin(a)]; });
      else pts = null;
      if (pts) g.appendChild(svgEl("polygon", Object.assign({points: pts.map(function (p) {
        return (x + p[0]).toFixed(1) + "," + (y + p[1]).toFixed(1); }).join(" ")}, attrs)));
      else g.appendChild(svgEl("circle", Object.assign({cx: x, cy: y, r: s}, attrs)));
      h = 2 * s;
    }
    var lines = (body.labelModule.lines || []).map(function (line) {
      return line.blocks.map(function (b) { return b.text; }).join("");
    });
    if (!lines.length) lines = String(n.label || "").split("\n");
    var size = (fonts[n.id] || {}).size || 14, lh = size * 1.15;
    var top = labelBelow ? y + h / 2 + size : y - (lines.length - 1) * lh / 2 + size * 0.35;
    var text = svgEl("text", {x: x, y: top, "text-anchor": "middle", "font-size": size,
                              "font-family": "sans-serif", fill: (fonts[n.id] || {}).color || "#1b1b1b"});
    lines.forEach(function (line, i) {
      text.appendChild(svgEl("tspan", {x: x, dy: i ? lh : 0}, line));
    });
    g.appendChild(text);
    svg.appendChild(g);
  }

  function svgText() {
    var shown = visible(), boxes = {}, all = {left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity};
    shown.nodes.forEach(function (id) {
      var b = boxes[id] = network.getBoundingBox(id);
      all = {left: Math.min(all.left, b.left), top: Math.min(all.top, b.top),
             right: Math.max(all.right, b.right), bottom: Math.max(all.bottom, b.bottom)};
    });
    if (!shown.nodes.length) all = {left: 0, top: 0, right: 400, bottom: 200};
    var pad = 40, width = all.right - all.left + 2 * pad, height = all.bottom - all.top + 2 * pad + 30;
    var svg = svgEl("svg", {xmlns: SVGNS, version: "1.1", width: Math.round(width), height: Math.round(height),
                            viewBox: [all.left - pad, all.top - pad - 30, width, height].map(Math.round).join(" ")});
    svg.appendChild(svgEl("title", {}, document.getElementById("title").textContent));
    svg.appendChild(svgEl("rect", {x: all.left - pad, y: all.top - pad - 30, width: width, height: height, fill: "#ffffff"}));
    svg.appendChild(svgEl("text", {x: all.left - pad + 12, y: all.top - pad - 8, "font-size": 20,
                                   "font-weight": 600, "font-family": "sans-serif", fill: "#1b1b1b"},
                          document.getElementById("title").textContent));
    var groupLayer = svgEl("g", {"class": "groups"});
    groupBoxes().forEach(function (b) {
      var g = svgEl("g", {opacity: b.opacity, "data-group": b.id});
      g.appendChild(svgEl("rect", {x: b.left, y: b.top, width: b.right - b.left, height: b.bottom - b.top,
                                   fill: GROUP_FILL, stroke: GROUP_LINE, "stroke-width": 1.5}));
      g.appendChild(svgEl("text", {x: b.left + 8, y: b.top + 19, "font-size": 15, "font-weight": 600,
                                   "font-family": "sans-serif", fill: GROUP_TEXT}, b.name));
      groupLayer.appendChild(g);
    });
    var edgeLayer = svgEl("g", {"class": "edges"}), nodeLayer = svgEl("g", {"class": "nodes"});
    var labelLayer = svgEl("g", {"class": "labels"});
    shown.edges.forEach(function (id) { svgEdge(edgeLayer, edges.get(id), boxes); });
    shown.nodes.forEach(function (id) { svgNode(nodeLayer, nodes.get(id), boxes[id]); });
    downloadLabels().forEach(function (l) {
      labelLayer.appendChild(svgEl("text", {x: l.x.toFixed(1), y: l.y.toFixed(1), "text-anchor": "middle",
                                            "font-size": LABEL_SIZE, fill: l.colour, opacity: l.opacity,
                                            stroke: "#ffffff", "stroke-width": 3, "paint-order": "stroke",
                                            "font-family": "sans-serif", "data-edge": l.id}, l.text));
    });
    svg.appendChild(groupLayer);
    svg.appendChild(edgeLayer);
    svg.appendChild(nodeLayer);
    svg.appendChild(labelLayer);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
  }
  document.getElementById("download-svg").addEventListener("click", function () {
    save(new Blob([svgText()], {type: "image/svg+xml"}), DATA.file + ".svg");
  });
})();
