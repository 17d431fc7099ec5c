// The map page's own script (twinlac.viz.map): inlined at render time after card.js.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tw-data").textContent);
  var SVG_NS = "http://www.w3.org/2000/svg";
  var el = twinlacCard.el, card = twinlacCard.card;

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // Equirectangular projection: x = longitude east of the central meridian,
  // wrapped into [-180, 180); y = -latitude. One map unit is one degree.
  var lon0 = data.view.central_meridian;
  function wrap(x) { return ((x + 180) % 360 + 360) % 360 - 180; }
  function px(lon) { return wrap(lon - lon0); }
  function py(lat) { return -lat; }
  var FULL = { x: -180, y: -data.view.lat_max, w: 360, h: data.view.lat_max - data.view.lat_min };
  var map = document.getElementById("tw-map");
  var sea = document.getElementById("tw-sea");
  [["x", FULL.x - 360], ["y", FULL.y - 180], ["width", 3 * 360], ["height", FULL.h + 360]].forEach(function (a) {
    sea.setAttribute(a[0], a[1]);
  });

  // Graticule every 30 degrees.
  var graticule = document.getElementById("tw-graticule");
  for (var lon = -180; lon < 180; lon += 30) {
    var x = px(lon);
    graticule.appendChild(svg("path", { "class": "tw-graticule", d: "M" + x + " " + FULL.y + "V" + (FULL.y + FULL.h),
                                        "vector-effect": "non-scaling-stroke" }));
  }
  [-30, 0, 30, 60].forEach(function (lat) {
    graticule.appendChild(svg("path", { "class": "tw-graticule" + (lat === 0 ? " tw-equator" : ""),
                                        d: "M-180 " + py(lat) + "H180", "vector-effect": "non-scaling-stroke" }));
  });

  // Land: each ring unwrapped into one continuous line, and drawn again one
  // world to the left or right when it crosses the map's edge.
  var parts = { "-360": [], "0": [], "360": [] };
  data.world.rings.forEach(function (ring) {
    var scale = data.world.scale, xs = [], ys = [], prev = null, xPos = null;
    for (var i = 0; i < ring.length; i += 2) {
      var ringLon = ring[i] / scale;
      xPos = prev === null ? px(ringLon) : xPos + wrap(ringLon - prev);
      prev = ringLon;
      xs.push(xPos);
      ys.push(py(ring[i + 1] / scale));
    }
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    function ringPath(shift) {
      return "M" + xs.map(function (v, j) { return (v + shift).toFixed(1) + " " + ys[j].toFixed(1); }).join("L") + "Z";
    }
    parts["0"].push(ringPath(0));
    if (maxX > 180) parts["-360"].push(ringPath(-360));
    if (minX < -180) parts["360"].push(ringPath(360));
  });
  var land = document.getElementById("tw-land");
  Object.keys(parts).forEach(function (shift) {
    if (parts[shift].length) {
      land.appendChild(svg("path", { "class": "tw-land", d: parts[shift].join(""), "vector-effect": "non-scaling-stroke" }));
    }
  });

  // Tooltip and details panel.
  var tipBox = document.getElementById("tw-tip");
  var details = document.getElementById("tw-details");
  function showTip(tip, event) {
    while (tipBox.firstChild) tipBox.removeChild(tipBox.firstChild);
    tipBox.appendChild(card(tip));
    moveTip(event);
    tipBox.style.visibility = "visible";
  }
  function moveTip(event) {
    var x = event.clientX + 14, y = event.clientY + 14;
    var box = tipBox.getBoundingClientRect();
    if (x + box.width > window.innerWidth) x = event.clientX - box.width - 14;
    if (y + box.height > window.innerHeight) y = Math.max(0, window.innerHeight - box.height - 4);
    tipBox.style.left = x + "px";
    tipBox.style.top = y + "px";
  }
  function hideTip() { tipBox.style.visibility = "hidden"; }
  var selected = null;
  function showDetails(tip, element) {
    while (details.firstChild) details.removeChild(details.firstChild);
    details.appendChild(tip ? card(tip) : el("p", "tw-hint", "Click a place or a tie to see its details."));
    if (selected) selected.classList.remove("tw-selected");
    selected = element || null;
    if (selected) selected.classList.add("tw-selected");
  }
  function interactive(element, tip) {
    element.addEventListener("mouseenter", function (event) { showTip(tip, event); });
    element.addEventListener("mousemove", moveTip);
    element.addEventListener("mouseleave", hideTip);
    element.addEventListener("click", function (event) {
      event.stopPropagation();
      showDetails(tip, element);
    });
  }

  // Ties, as arcs bowing away from the equator's side of the chord.
  var placeById = {};
  data.places.forEach(function (p) { placeById[p.id] = p; });
  var tiesGroup = document.getElementById("tw-ties");
  var tieElements = data.ties.map(function (t) {
    var a = placeById[t.from], b = placeById[t.to];
    var x1 = px(a.lon), y1 = py(a.lat), x2 = px(b.lon), y2 = py(b.lat);
    var mx = (x1 + x2) / 2, my = (y1 + y2) / 2, dx = x2 - x1, dy = y2 - y1;
    var bend = 0.18;
    var nx = -dy * bend, ny = dx * bend;
    if (ny > 0) { nx = -nx; ny = -ny; }  // bow northwards
    var attrs = {
      "class": "tw-tie", d: "M" + x1 + " " + y1 + "Q" + (mx + nx) + " " + (my + ny) + " " + x2 + " " + y2,
      stroke: t.color.color, "stroke-width": t.width, "stroke-opacity": t.color.opacity,
      "vector-effect": "non-scaling-stroke"
    };
    if (t.dashes && t.dashes.length) attrs["stroke-dasharray"] = t.dashes.join(" ");
    var path = svg("path", attrs);
    interactive(path, t.tip);
    tiesGroup.appendChild(path);
    return path;
  });

  var placesGroup = document.getElementById("tw-places");
  var placeElements = data.places.map(function (p) {
    var circle = svg("circle", { "class": "tw-place", cx: px(p.lon), cy: py(p.lat), r: p.radius,
                                 fill: p.color, stroke: p.border, "vector-effect": "non-scaling-stroke" });
    interactive(circle, p.tip);
    placesGroup.appendChild(circle);
    return circle;
  });
  map.addEventListener("click", function () { showDetails(null); });

  // Filters: a tie is shown if its kind and evidence grade are both ticked; a
  // place while it keeps a shown tie (or has none drawn at all).
  var ticked = { kind: {}, evidence: {} };
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter]"));
  boxes.forEach(function (box) { ticked[box.dataset.filter][box.value] = box.checked; });
  var shownTies = 0, shownPlaces = 0;
  function applyFilters() {
    var degree = {}, drawn = {};
    shownTies = 0;
    data.ties.forEach(function (t, i) {
      var show = ticked.kind[t.kind] !== false && ticked.evidence[t.evidence] !== false;
      tieElements[i].style.display = show ? "" : "none";
      drawn[t.from] = drawn[t.to] = true;
      if (show) {
        shownTies += 1;
        degree[t.from] = (degree[t.from] || 0) + 1;
        degree[t.to] = (degree[t.to] || 0) + 1;
      }
    });
    shownPlaces = 0;
    data.places.forEach(function (p, i) {
      var show = !drawn[p.id] || degree[p.id] > 0;
      placeElements[i].style.display = show ? "" : "none";
      if (show) shownPlaces += 1;
    });
    document.getElementById("tw-n-places").textContent = shownPlaces;
    document.getElementById("tw-n-ties").textContent = shownTies;
  }
  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      ticked[box.dataset.filter][box.value] = box.checked;
      applyFilters();
    });
  });
  applyFilters();

  // Zoom and pan by changing the viewBox; dots keep their size on screen.
  var view = Object.assign({}, FULL);
  function setView(v) {
    var scale = Math.min(Math.max(v.w, FULL.w / 40), FULL.w);
    var ratio = scale / v.w;
    var cx = v.x + v.w / 2, cy = v.y + v.h / 2;
    view = { w: scale, h: v.h * ratio };
    view.x = Math.min(Math.max(cx - view.w / 2, FULL.x - view.w / 2), FULL.x + FULL.w - view.w / 2);
    view.y = Math.min(Math.max(cy - view.h / 2, FULL.y - view.h / 2), FULL.y + FULL.h - view.h / 2);
    map.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    var k = view.w / FULL.w;
    data.places.forEach(function (p, i) { placeElements[i].setAttribute("r", p.radius * k); });
  }
  function toMap(clientX, clientY) {
    var point = map.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    return point.matrixTransform(map.getScreenCTM().inverse());
  }
  function zoomAt(factor, center) {
    var w = view.w / factor, h = view.h / factor;
    setView({ x: center.x - (center.x - view.x) / factor, y: center.y - (center.y - view.y) / factor, w: w, h: h });
  }
  map.addEventListener("wheel", function (event) {
    event.preventDefault();
    zoomAt(event.deltaY < 0 ? 1.25 : 0.8, toMap(event.clientX, event.clientY));
  }, { passive: false });
  function viewCenter() { return { x: view.x + view.w / 2, y: view.y + view.h / 2 }; }
  document.getElementById("tw-zoom-in").addEventListener("click", function () { zoomAt(1.5, viewCenter()); });
  document.getElementById("tw-zoom-out").addEventListener("click", function () { zoomAt(1 / 1.5, viewCenter()); });
  document.getElementById("tw-zoom-reset").addEventListener("click", function () { setView(FULL); });
  var drag = null;
  map.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, view: Object.assign({}, view),
             unit: map.getScreenCTM().a, moved: false };
  });
  window.addEventListener("pointermove", function (event) {
    if (!drag) return;
    var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
    if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
    drag.moved = true;
    map.classList.add("tw-dragging");
    setView({ x: drag.view.x - dx / drag.unit, y: drag.view.y - dy / drag.unit, w: drag.view.w, h: drag.view.h });
  });
  window.addEventListener("pointerup", function () {
    drag = null;
    map.classList.remove("tw-dragging");
  });
  setView(FULL);

  window.twinlacMap = {
    ready: true,
    counts: function () {
      return { places: shownPlaces, ties: shownTies, missing: data.missing.length, undrawn: data.undrawn_ties };
    },
    view: function () { return Object.assign({}, view); },
    setView: setView
  };
})();
