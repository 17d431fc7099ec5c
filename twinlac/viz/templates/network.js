// The network page's own script (twinlac.viz.network): inlined at render time after card.js.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tw-data").textContent);
  var el = twinlacCard.el, card = twinlacCard.card;
  // A large page writes what all agreements of a line share once per line: merge it back.
  data.edges.forEach(function (e) {
    if (e.facet_common) {
      e.facets = e.facets.map(function (f) { return Object.assign({}, e.facet_common, f); });
    }
  });

  // A grouped line (province or country level): summarise the agreements that
  // pass the filters. `full` lists them all (details panel), else the first few.
  var grouped = data.level !== "locality";
  var shownMask = {};
  function tally(values, labels) {
    var counts = {}, order = [];
    values.forEach(function (v) {
      if (!(v in counts)) { counts[v] = 0; order.push(v); }
      counts[v] += 1;
    });
    return order.map(function (v) {
      var label = labels[v] || v;
      return counts[v] > 1 ? label + " \u00d7" + counts[v] : label;
    }).join(", ");
  }
  function groupTip(e, full) {
    var mask = shownMask[e.id] || e.facets.map(function () { return true; });
    var facets = e.facets.filter(function (f, i) { return mask[i]; });
    var items = e.items.filter(function (it, i) { return mask[i]; });
    var total = e.facets.length;
    var rows = [["Agreements", facets.length === total ? String(total)
                 : facets.length + " of " + total + " (the others are hidden by the filters)"]];
    rows.push(["Kinds", tally(facets.map(function (f) { return f.kind; }), data.labels.kind)]);
    var dated = facets.filter(function (f) { return f.year !== null; }).map(function (f) { return f.year; });
    var undated = facets.length - dated.length;
    var yearText = "";
    if (dated.length) {
      var lo = Math.min.apply(null, dated), hi = Math.max.apply(null, dated);
      yearText = lo === hi ? String(lo) : lo + "\u2013" + hi;
    }
    if (undated) yearText += (yearText ? "; " : "") + undated + " without a year";
    rows.push(["Years", yearText]);
    rows.push(["Evidence", tally(facets.map(function (f) { return f.evidence; }), data.labels.evidence)]);
    if (e.items.length < total) {  // a large page keeps the first agreements of each line only
      rows.push(["Listed", "the first " + e.items.length + " of " + total + " agreements"]);
    }
    return { title: e.tip.title, subtitle: null, rows: rows, link: null, items: items,
             limit: full ? null : data.tooltip_items };
  }
  function tipFor(item, full) {
    return grouped && item.items ? groupTip(item, full) : item.tip;
  }

  // vis shows an element title as is (a string title would be plain text).
  function withTitle(item) {
    var copy = Object.assign({}, item);
    copy.title = card(tipFor(item, false));
    return copy;
  }
  var nodes = new vis.DataSet(data.nodes.map(withTitle));
  var edges = new vis.DataSet(data.edges.map(withTitle));

  // Filters. Every edge carries the facets of its agreements (one at place level,
  // several when places are grouped by province or country); an edge is shown
  // while at least one of its agreements passes every filter, and a place while
  // it keeps a shown tie (a place that never had a tie follows the place filters).
  var ticked = { kind: {}, evidence: {}, country: {}, region: {} };
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  boxes.forEach(function (box) { ticked[box.dataset.filter][box.value] = box.checked; });
  var yearFrom = document.getElementById("tw-year-from");
  var yearTo = document.getElementById("tw-year-to");
  var undatedBox = document.getElementById("tw-undated");
  var asOfSlider = document.getElementById("tw-asof");
  var asOfValue = document.getElementById("tw-asof-value");
  var years = data.years;

  function numberOrNull(input) {
    if (input.disabled || input.value.trim() === "") return null;
    var value = Number(input.value);
    return isFinite(value) ? value : null;
  }
  var yearRule = {};
  function readYears() {
    yearRule = {
      from: numberOrNull(yearFrom),
      to: numberOrNull(yearTo),
      asOf: numberOrNull(asOfSlider),
      undated: undatedBox.checked
    };
  }
  function yearShown(year) {
    if (year === null || year === undefined) return yearRule.undated;
    if (yearRule.from !== null && year < yearRule.from) return false;
    if (yearRule.to !== null && year > yearRule.to) return false;
    if (yearRule.asOf !== null && year > yearRule.asOf) return false;
    return true;
  }
  function agreementShown(f) {
    return ticked.kind[f.kind] !== false && ticked.evidence[f.evidence] !== false &&
      ticked.country[f.country] !== false &&
      f.regions.every(function (r) { return ticked.region[r] !== false; }) &&
      yearShown(f.year);
  }
  function placeShown(p) {
    return ticked.region[p.region] !== false && (p.country === null || ticked.country[p.country] !== false);
  }

  var shownCount = {};
  var visibleDegree = {};
  var drawnMask = {};
  function recount() {
    var updates = [];
    data.edges.forEach(function (e) {
      var mask = e.facets.map(agreementShown);
      var n = mask.filter(Boolean).length;
      shownCount[e.id] = n;
      shownMask[e.id] = mask;
      // A grouped line is redrawn for what it now stands for: width, number, tooltip.
      var key = mask.join();
      if (grouped && n > 0 && drawnMask[e.id] !== undefined && drawnMask[e.id] !== key) {
        updates.push({ id: e.id, width: widthFor(n), label: n > 1 ? String(n) : "", title: card(groupTip(e, false)) });
      }
      if (n > 0) drawnMask[e.id] = key;
    });
    if (updates.length) edges.update(updates);
  }
  function widthFor(n) {  // as _group_width in Python
    var w = data.width;
    if (w.most <= 1) return w.base;
    return w.base + w.span * Math.sqrt(Math.max(n - 1, 0) / (w.most - 1));
  }
  readYears();
  recount();
  data.edges.forEach(function (e) { drawnMask[e.id] = shownMask[e.id].join(); });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) { return shownCount[e.id] > 0; }
  });
  function countDegrees() {
    visibleDegree = {};
    edgesView.get().forEach(function (e) {
      visibleDegree[e.from] = (visibleDegree[e.from] || 0) + 1;
      visibleDegree[e.to] = (visibleDegree[e.to] || 0) + 1;
    });
  }
  countDegrees();
  var nodesView = new vis.DataView(nodes, {
    filter: function (n) { return visibleDegree[n.id] > 0 || (n.degree === 0 && placeShown(n.place)); }
  });
  function agreementsShown() {
    return edgesView.getIds().reduce(function (sum, id) { return sum + shownCount[id]; }, 0);
  }
  function updateCounts() {
    document.getElementById("tw-n-places").textContent = nodesView.length;
    document.getElementById("tw-n-ties").textContent = edgesView.length;
    var agreementsCounter = document.getElementById("tw-n-agreements");
    if (agreementsCounter) agreementsCounter.textContent = agreementsShown();
  }
  function applyFilters() {
    readYears();
    asOfValue.textContent = asOfSlider.disabled ? "" : asOfSlider.value;
    recount();
    edgesView.refresh();
    countDegrees();
    nodesView.refresh();
    updateCounts();
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      ticked[box.dataset.filter][box.value] = box.checked;
      applyFilters();
    });
  });
  function setAll(facet, checked) {
    boxes.forEach(function (box) {
      if (box.dataset.filter === facet) {
        box.checked = checked;
        ticked[facet][box.value] = checked;
      }
    });
    applyFilters();
  }
  document.querySelectorAll("button[data-all]").forEach(function (button) {
    button.addEventListener("click", function () { setAll(button.dataset.all, true); });
  });
  document.querySelectorAll("button[data-none]").forEach(function (button) {
    button.addEventListener("click", function () { setAll(button.dataset.none, false); });
  });
  [yearFrom, yearTo, asOfSlider].forEach(function (input) {
    input.addEventListener("input", applyFilters);
    input.addEventListener("change", applyFilters);
  });
  undatedBox.addEventListener("change", applyFilters);

  // Play: step the as-of year from the first year to the last.
  var playButton = document.getElementById("tw-play");
  var playTimer = null;
  function stopPlaying() {
    if (playTimer !== null) clearInterval(playTimer);
    playTimer = null;
    playButton.textContent = "Play";
  }
  playButton.addEventListener("click", function () {
    if (playTimer !== null) { stopPlaying(); return; }
    if (Number(asOfSlider.value) >= years.max) asOfSlider.value = years.min;
    applyFilters();
    playButton.textContent = "Pause";
    playTimer = setInterval(function () {
      if (Number(asOfSlider.value) >= years.max) { stopPlaying(); return; }
      asOfSlider.value = Number(asOfSlider.value) + 1;
      applyFilters();
    }, 700);
  });

  document.getElementById("tw-reset").addEventListener("click", function () {
    stopPlaying();
    boxes.forEach(function (box) { box.checked = true; ticked[box.dataset.filter][box.value] = true; });
    undatedBox.checked = true;
    if (years.min !== null) {
      yearFrom.value = years.min;
      yearTo.value = years.max;
      asOfSlider.value = years.max;
    }
    applyFilters();
  });

  var network = new vis.Network(document.getElementById("tw-network"),
                                { nodes: nodesView, edges: edgesView }, data.options);

  // Physics: settle once, then freeze so the picture stops moving.
  var physicsBox = document.getElementById("tw-physics");
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physicsBox.checked } });
  });
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      physicsBox.checked = false;
    });
  }

  // Details panel: the hover tooltip cannot be clicked, so links live here.
  var details = document.getElementById("tw-details");
  function showDetails(tip) {
    while (details.firstChild) details.removeChild(details.firstChild);
    details.appendChild(tip ? card(tip) : el("p", "tw-hint", "Click a place or a tie to see its details."));
  }
  network.on("click", function (params) {
    if (params.nodes.length) showDetails(nodes.get(params.nodes[0]).tip);
    else if (params.edges.length) showDetails(tipFor(edges.get(params.edges[0]), true));
    else showDetails(null);
  });

  // A small handle for tests and for readers poking at the page from the console.
  var api = {
    network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
    level: data.level,
    ready: false,
    counts: function () {
      return { places: nodesView.length, ties: edgesView.length, agreements: agreementsShown() };
    },
    applyFilters: applyFilters,
    shownCounts: function () { return Object.assign({}, shownCount); },
    drawn: function () {
      return { places: Object.keys(network.getPositions()).length, ties: network.body.edgeIndices.length };
    }
  };
  window.twinlacNetwork = api;
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () { api.ready = true; });
  } else {
    network.once("afterDrawing", function () { api.ready = true; });
  }

  // Search: accent- and case-insensitive; exact match, then prefix, then substring.
  var status = document.getElementById("tw-status");
  function fold(s) {
    return String(s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }
  var index = data.nodes.map(function (n) {
    return { id: n.id, terms: n.search.concat([n.search_label]).map(fold) };
  });
  function find(query) {
    var q = fold(query);
    if (!q) return null;
    var tests = [
      function (t) { return t === q; },
      function (t) { return t.indexOf(q) === 0; },
      function (t) { return t.indexOf(q) !== -1; }
    ];
    for (var i = 0; i < tests.length; i++) {
      for (var j = 0; j < index.length; j++) {
        if (index[j].terms.some(tests[i])) return index[j].id;
      }
    }
    return null;
  }
  var names = document.getElementById("tw-names");
  data.nodes.map(function (n) { return n.search_label; }).sort().forEach(function (label) {
    var option = document.createElement("option");
    option.value = label;
    names.appendChild(option);
  });
  document.getElementById("tw-search").addEventListener("submit", function (event) {
    event.preventDefault();
    var query = document.getElementById("tw-search-input").value;
    var id = find(query);
    status.textContent = "";
    if (id === null) {
      if (fold(query)) status.textContent = "No place matches \u201c" + query + "\u201d.";
      return;
    }
    var node = nodes.get(id);
    showDetails(node.tip);
    if (!nodesView.get(id)) {
      status.textContent = node.name + " is hidden by the current filters.";
      return;
    }
    network.selectNodes([id]);
    network.focus(id, { scale: 1.4, animation: { duration: 600, easingFunction: "easeInOutQuad" } });
  });
})();
