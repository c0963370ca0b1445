/* frontlines: the control map renderer, one module for the static map (`frontlines map`) and
   the served page.  It draws what `frontlines.export.map.map_data` builds: the base map
   (countries, the focus country's divisions, reference towns), the areas each side holds
   (hatched where they rest on unconfirmed, denied or low-confidence reports), the front lines,
   one marker per spot with the places placed approximately at it counted under it, labels
   that never cover one another, a legend with the date and a scale bar.  Every string from
   the data reaches the page through textContent or a DOM property, never as markup. */
(function (global) {
  "use strict";

  var POSITIONS = ["right", "left", "top", "bottom"];
  var TOWN_NEAR_PLACE_PX = 10;
  var TOWN_DOT_PX = 2.2;
  var SMALL_MAP_PX = { width: 600, height: 560 };  // a phone's map: the legend steps aside for a popup
  var POPUP_FRAME_PX = 64;  // a popup's tip, margins and close button around its content

  function el(tag, text, className, children) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") { node.textContent = String(text); }
    if (className) { node.className = className; }
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function isWebAddress(url) { return typeof url === "string" && /^https?:\/\/[^\s<>"']+$/i.test(url); }

  function swatch(colour, className) {
    var node = el("span", null, "fl-swatch" + (className ? " " + className : ""));
    if (colour) { node.style.background = colour; }
    return node;
  }

  function longDay(iso) {
    return new Date(iso + "T00:00:00Z").toLocaleDateString("en-GB", {
      day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
    });
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  /* The popup of one place: holder, claim, pending reports, evidence, sources, and what the
     host page adds (the served page: history and document buttons). */
  function placePopup(place, options, openPlace) {
    var root = el("div", null, "popup fl-popup", [
      el("h2", place.name),
      el("p", null, "holder", [swatch(place.colour), document.createTextNode(
        place.label + (place.since ? " since " + place.since : " (before any reported change)"))])
    ]);
    var facts = [place.claim, place.kind,
                 place.confidence !== null && place.confidence !== undefined ? "confidence " + place.confidence : null]
      .filter(Boolean);
    if (facts.length) { root.appendChild(el("p", facts.join(", "), "muted")); }
    if (place.weak) { root.appendChild(el("p", "Drawn hatched: the report behind it is unconfirmed, denied or of low confidence.", "pending")); }
    (place.pending || []).forEach(function (report) {
      root.appendChild(el("p", "Pending: " + report.text, "pending"));
    });
    if (place.evidence) { root.appendChild(el("blockquote", place.evidence, "evidence")); }
    if ((place.sources || []).length) {
      var list = el("ol", null, "sources");
      place.sources.forEach(function (source) {
        var item = el("li", source.text);
        if (isWebAddress(source.url)) {
          var link = el("a", "link");
          link.href = source.url;
          link.rel = "noopener noreferrer nofollow";
          link.target = "_blank";
          item.append(" ");
          item.appendChild(link);
        }
        list.appendChild(item);
      });
      root.appendChild(list);
    }
    if ((place.group || []).length) { root.appendChild(groupList(place, openPlace)); }
    (options.popupExtras ? options.popupExtras(place) : []).forEach(function (node) {
      if (node) { root.appendChild(node); }
    });
    return root;
  }

  /* The places placed approximately at an anchor's point, each a button to its own popup. */
  function groupList(anchor, openPlace) {
    var box = el("div", null, "fl-group", [el("p", "Placed approximately at " + anchor.name + ":", "muted")]);
    var list = el("ul", null, "fl-group-list");
    anchor.group.forEach(function (place) {
      var button = el("button", null, "linkish fl-group-place", [swatch(place.colour), document.createTextNode(place.name)]);
      button.type = "button";
      button.setAttribute("data-place-id", place.id);
      button.addEventListener("click", function () { openPlace(place.id); });
      list.appendChild(el("li", null, null, [button]));
    });
    box.appendChild(list);
    return box;
  }

  function create(elementId, options) {
    options = options || {};
    var map = L.map(elementId, { zoomSnap: 0.25, preferCanvas: false });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Leaflet | Natural Earth | frontlines");
    [["fl-base", 250], ["fl-areas", 350], ["fl-fronts", 380], ["fl-towns", 390], ["fl-labels", 610]]
      .forEach(function (pane) {
        map.createPane(pane[0]).style.zIndex = String(pane[1]);
      });
    map.getPane("fl-labels").style.pointerEvents = "none";
    map.getPane("fl-towns").style.pointerEvents = "none";
    L.control.scale({ imperial: false, position: "bottomright" }).addTo(map);

    var baseRenderer = L.svg({ pane: "fl-base", padding: 0.5 });
    var areaRenderer = L.svg({ pane: "fl-areas", padding: 0.5 });
    var baseLayer = L.layerGroup().addTo(map);
    var townLayer = L.layerGroup().addTo(map);
    var areaLayer = L.layerGroup().addTo(map);
    var frontLayer = L.layerGroup().addTo(map);
    var placeLayer = L.layerGroup().addTo(map);
    var labelLayer = L.layerGroup().addTo(map);
    var state = { data: null, places: new Map(), markers: new Map(), badges: [], towns: [], labels: [] };
    var legend = L.control({ position: "bottomleft" });
    legend.onAdd = function () { return el("div", null, "fl-panel fl-legend"); };
    legend.addTo(map);
    var heading = null;
    if (options.heading) {
      heading = L.control({ position: "topright" });
      heading.onAdd = function () { return el("div", null, "fl-panel fl-heading"); };
      heading.addTo(map);
    }

    // --- popups ------------------------------------------------------------------------

    /* The boxes of the controls shown (zoom buttons, legend, heading, scale), in the map's
       own pixels, and how far those at the top and at the bottom reach into it. */
    function controls() {
      var container = map.getContainer();
      var frame = container.getBoundingClientRect();
      var found = { boxes: [], top: 0, bottom: 0 };
      container.querySelectorAll(".leaflet-control").forEach(function (control) {
        var box = control.getBoundingClientRect();
        if (!box.height) { return; }  // hidden
        found.boxes.push({ left: box.left - frame.left, top: box.top - frame.top,
                           right: box.right - frame.left, bottom: box.bottom - frame.top });
        if (control.closest(".leaflet-top")) { found.top = Math.max(found.top, box.bottom - frame.top); }
        else { found.bottom = Math.max(found.bottom, frame.bottom - box.top); }
      });
      return found;
    }

    function markSmall() {
      var size = map.getSize();
      map.getContainer().classList.toggle("fl-small", size.x < SMALL_MAP_PX.width || size.y < SMALL_MAP_PX.height);
    }

    /* A popup fits in the map beside its controls, however small the screen: on a small map
       the legend and the heading step aside while it is open (fl-popup-open), the popup is
       kept clear of the controls still shown (the zoom buttons, the scale) and, when it is
       taller than the room left, its content scrolls inside it.  Measured at each opening,
       so that a turned phone or a resized window is followed. */
    function popupOptions(offset) {
      var size = map.getSize();
      markSmall();
      map.getContainer().classList.add("fl-popup-open");
      var shown = controls();
      var top = shown.top, bottom = shown.bottom;
      return {
        maxWidth: Math.max(160, Math.min(320, size.x - 70)),
        maxHeight: Math.max(120, size.y - top - bottom - POPUP_FRAME_PX),
        autoPanPaddingTopLeft: [8, top + 6], autoPanPaddingBottomRight: [8, bottom + 6],
        offset: offset || [0, 7]
      };
    }

    function openPopup(at, content, offset) {
      L.popup(popupOptions(offset)).setLatLng(at).setContent(content).openOn(map);
    }

    map.on("popupopen", function () { map.getContainer().classList.add("fl-popup-open"); });
    map.on("popupclose", function () {
      map.getContainer().classList.remove("fl-popup-open");
      if (state.data) { declutter(); }  // the legend is back: labels keep off it again
    });

    function openPlace(id) {
      var place = state.places.get(id);
      if (!place) { return; }
      var marker = state.markers.get(place.anchor);
      openPopup(marker ? marker.getLatLng() : L.latLng(place.lat, place.lon), placePopup(place, options, openPlace));
    }

    // --- the base map ------------------------------------------------------------------

    function setBase(base) {
      baseLayer.clearLayers();
      townLayer.clearLayers();
      state.towns = [];
      if (!base) { return; }
      L.geoJSON(base.countries, {
        renderer: baseRenderer, interactive: false,
        style: function (feature) {
          var focus = feature.properties.focus;
          return { color: focus ? "#857f72" : "#aaa498", weight: focus ? 1.4 : 0.8, fillOpacity: 1,
                   fillColor: focus ? "#faf8f3" : "#ebe7de", className: "fl-country" + (focus ? " fl-focus" : "") };
        }
      }).addTo(baseLayer);
      L.geoJSON(base.divisions, {
        renderer: baseRenderer, interactive: false,
        style: { color: "#b9b2a4", weight: 0.8, dashArray: "4 3", fill: false, className: "fl-division" }
      }).addTo(baseLayer);
      (base.towns || []).forEach(function (town) {
        L.circleMarker([town.lat, town.lon], {
          pane: "fl-towns", radius: TOWN_DOT_PX, weight: 0, fillColor: "#6d6a64", fillOpacity: 0.8,
          interactive: false, className: "fl-town-dot"
        }).addTo(townLayer);
        state.towns.push(town);
      });
      if (state.data) { drawLabels(); }
      map.getContainer().setAttribute("data-base", "drawn");
    }

    // --- control -----------------------------------------------------------------------

    function hatchPatterns(sides) {
      var svg = areaRenderer._container;
      if (!svg) { return; }
      var ns = "http://www.w3.org/2000/svg";
      var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(ns, "defs"), svg.firstChild);
      while (defs.firstChild) { defs.removeChild(defs.firstChild); }
      sides.forEach(function (side, index) {
        var pattern = document.createElementNS(ns, "pattern");
        pattern.setAttribute("id", "fl-hatch-" + index);
        pattern.setAttribute("patternUnits", "userSpaceOnUse");
        pattern.setAttribute("width", "8");
        pattern.setAttribute("height", "8");
        pattern.setAttribute("patternTransform", "rotate(45)");
        var back = document.createElementNS(ns, "rect");
        back.setAttribute("width", "8");
        back.setAttribute("height", "8");
        back.setAttribute("fill", side.colour);
        back.setAttribute("fill-opacity", "0.1");
        var line = document.createElementNS(ns, "line");
        line.setAttribute("x1", "0");
        line.setAttribute("y1", "0");
        line.setAttribute("x2", "0");
        line.setAttribute("y2", "8");
        line.setAttribute("stroke", side.colour);
        line.setAttribute("stroke-width", "3");
        line.setAttribute("stroke-opacity", "0.75");
        pattern.appendChild(back);
        pattern.appendChild(line);
        defs.appendChild(pattern);
      });
    }

    function drawAreas(data) {
      areaLayer.clearLayers();
      frontLayer.clearLayers();
      var index = new Map(data.sides.map(function (side, i) { return [side.side, i]; }));
      var layer = L.geoJSON({ type: "FeatureCollection", features: data.areas }, {
        renderer: areaRenderer, interactive: false,
        style: function (feature) {
          var p = feature.properties;
          return { color: p.colour, weight: 0.8, opacity: 0.7, fillColor: p.colour,
                   fillOpacity: p.hatched ? 1 : 0.3, className: "fl-area" + (p.hatched ? " fl-hatched" : "") };
        }
      }).addTo(areaLayer);
      hatchPatterns(data.sides);
      layer.eachLayer(function (item) {
        var p = item.feature.properties;
        var path = item.getElement();
        path.setAttribute("data-side", p.side);
        path.setAttribute("data-colour", p.colour);
        if (p.hatched && index.has(p.side)) { path.setAttribute("fill", "url(#fl-hatch-" + index.get(p.side) + ")"); }
      });
      L.geoJSON({ type: "FeatureCollection", features: data.fronts }, {
        renderer: areaRenderer, interactive: false,
        style: { color: "#1b1b1b", weight: 2.6, opacity: 0.9, lineCap: "round", className: "fl-front" }
      }).addTo(frontLayer);
    }

    function markerStyle(place, changed) {
      return {
        radius: changed ? 8 : 6, fillColor: place.colour, fillOpacity: 0.95,
        color: changed ? "#111" : (place.weak ? "#a04000" : "#2b2b2b"),
        weight: changed ? 2.5 : (place.weak ? 1.8 : 1), dashArray: place.weak && !changed ? "3 2" : null
      };
    }

    function drawPlaces(data, changed) {
      placeLayer.clearLayers();
      state.markers = new Map();
      state.badges = [];
      state.places = new Map();
      data.places.forEach(function (place) {
        place.anchor = place.id;
        state.places.set(place.id, place);
        (place.group || []).forEach(function (member) {
          member.anchor = place.id;
          state.places.set(member.id, member);
        });
        var isChanged = changed.has(place.id);
        var marker = L.circleMarker([place.lat, place.lon], markerStyle(place, isChanged));
        marker.on("click", function () { openPlace(place.id); });
        marker.bindTooltip(function () { return el("span", place.name); }, { direction: "top", offset: [0, -7] });
        marker.addTo(placeLayer);
        var path = marker.getElement();
        path.setAttribute("data-place-id", place.id);
        path.classList.add("fl-place");
        path.classList.toggle("changed-today", isChanged);
        state.markers.set(place.id, marker);
        if ((place.group || []).length) {
          var count = el("span", "+" + place.group.length, "fl-count");
          count.title = place.group.length + " places placed approximately at " + place.name;
          count.style.setProperty("--fl-gap", (reach(marker) + 1) + "px");
          var badge = L.marker([place.lat, place.lon], {
            icon: L.divIcon({ className: "fl-count-icon", html: count, iconSize: null, iconAnchor: [0, 0] }),
            keyboard: true, title: count.title, anchorMarker: marker, groupOf: place.id
          });
          badge.on("click", function () {
            openPopup(badge.getLatLng(), el("div", null, "popup fl-popup", [
              el("h2", place.name + " and nearby"), groupList(place, openPlace)]), [0, 7 + reach(marker)]);
          });
          badge.addTo(placeLayer);
          badge.getElement().setAttribute("data-group-of", place.id);
          state.badges.push(badge);
        }
      });
    }

    // --- labels ------------------------------------------------------------------------

    /* A label `gap` pixels off its point (the marker's edge, and a little air). */
    function addLabel(lat, lon, text, className, priority, gap) {
      var span = el("span", text, "fl-label " + className + " fl-right");
      span.style.setProperty("--fl-gap", gap + "px");
      L.marker([lat, lon], {
        pane: "fl-labels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: "fl-label-icon", html: span, iconSize: null, iconAnchor: [0, 0] })
      }).addTo(labelLayer);
      state.labels.push({ lat: lat, lon: lon, span: span, priority: priority, gap: gap,
                          town: className === "fl-town" });
    }

    function drawLabels() {
      labelLayer.clearLayers();
      state.labels = [];
      var data = state.data;
      data.labels.forEach(function (label, index) {
        var marker = state.markers.get(label.id);
        addLabel(label.lat, label.lon, label.text, "fl-place-label", index, (marker ? reach(marker) : 6) + 3);
      });
      state.towns.forEach(function (town, index) {
        addLabel(town.lat, town.lon, town.name, "fl-town", 100000 + index, 5);
      });
      declutter();
    }

    /* Where a label of size w x h would sit, for each position around its point, `gap`
       pixels off it (as the fl-right/left/top/bottom classes of frontlines-map.css place it). */
    function candidateBoxes(point, w, h, gap) {
      return {
        right: { left: point.x + gap, top: point.y - h / 2 },
        left: { left: point.x - w - gap, top: point.y - h / 2 },
        top: { left: point.x - w / 2, top: point.y - h - gap },
        bottom: { left: point.x - w / 2, top: point.y + gap }
      };
    }

    function box(left, top, w, h) { return { left: left, top: top, right: left + w, bottom: top + h }; }

    /* How far a marker's circle reaches from its point, its outline included. */
    function reach(marker) { return marker.options.radius + (marker.options.weight || 0) / 2; }

    /* Place each label right, left, above or below its point, the first position where it
       covers no marker, no shown count, nothing the host page draws beside a place
       (options.obstacles) and no label placed before it; a label with no free position is
       hidden (it shows again when zooming in makes room).  Where things are is computed from
       the map's projection, never read back from the drawn elements (an SVG renderer redraws
       its circles only after a zoom's end, a measure taken before would be stale); only the
       labels' and counts' sizes are measured, all first, so the page is laid out once. */
    function declutter() {
      var at = function (lat, lon) { return map.latLngToContainerPoint([lat, lon]); };
      // measure
      var labels = state.labels.slice().sort(function (a, b) { return a.priority - b.priority; }).map(function (label) {
        var size = label.span.getBoundingClientRect();  // fractional pixels, unlike offsetWidth
        return { label: label, w: size.width, h: size.height };
      });
      var badges = state.badges.map(function (badge) {
        var size = badge.getElement().querySelector(".fl-count").getBoundingClientRect();
        return { badge: badge, w: size.width, h: size.height };
      });
      // decide: a count that would cover another place's marker or count is hidden (the
      // anchor's popup lists the same places)
      var markerBoxes = new Map();
      state.markers.forEach(function (marker, id) {
        var p = map.latLngToContainerPoint(marker.getLatLng());
        var r = reach(marker);
        markerBoxes.set(id, box(p.x - r, p.y - r, 2 * r, 2 * r));
      });
      var obstacles = Array.from(markerBoxes.values()).concat(controls().boxes);
      (options.obstacles ? options.obstacles() : []).forEach(function (o) {
        var p = at(o.lat, o.lon);
        obstacles.push(box(p.x + o.dx, p.y + o.dy, o.w, o.h));
      });
      var hiddenBadges = new Set();
      badges.forEach(function (item) {
        var marker = item.badge.options.anchorMarker;
        var p = map.latLngToContainerPoint(marker.getLatLng());
        var own = markerBoxes.get(item.badge.options.groupOf);
        var where = box(p.x - item.w / 2, p.y + reach(marker) + 1, item.w, item.h);
        var blocked = obstacles.some(function (other) { return other !== own && overlaps(where, other); });
        if (blocked) { hiddenBadges.add(item.badge); } else { obstacles.push(where); }
      });
      var markerPoints = Array.from(state.markers.values()).map(function (marker) {
        return map.latLngToContainerPoint(marker.getLatLng());
      });
      // a town's label covers no other town's dot (a place's label may: it matters more)
      var dots = state.towns.map(function (town) {
        var p = at(town.lat, town.lon);
        return box(p.x - TOWN_DOT_PX, p.y - TOWN_DOT_PX, 2 * TOWN_DOT_PX, 2 * TOWN_DOT_PX);
      });
      var size = map.getSize();
      var placed = [];
      var choices = labels.map(function (item) {
        var label = item.label;
        var point = at(label.lat, label.lon);
        if (label.town && markerPoints.some(function (p) {  // a town where a place is drawn already
          return Math.hypot(p.x - point.x, p.y - point.y) < TOWN_NEAR_PLACE_PX;
        })) { return null; }
        var boxes = candidateBoxes(point, item.w, item.h, label.gap);
        var free = POSITIONS.filter(function (position) {
          var where = box(boxes[position].left, boxes[position].top, item.w, item.h);
          // a pixel of margin between labels: they never touch, whatever the rounding
          var wide = box(where.left - 1, where.top - 1, item.w + 2, item.h + 2);
          return !placed.some(function (other) { return overlaps(wide, other); }) &&
                 !obstacles.some(function (other) { return overlaps(where, other); }) &&
                 !(label.town && dots.some(function (other) { return overlaps(where, other); }));
        });
        // a position inside the map rather than one cut by its edge
        var choice = free.find(function (position) {
          var corner = boxes[position];
          return corner.left >= 0 && corner.top >= 0 && corner.left + item.w <= size.x && corner.top + item.h <= size.y;
        }) || (label.town ? null : free[0]) || null;  // a town's label cut by the edge is left out
        if (choice) { placed.push(box(boxes[choice].left - 1, boxes[choice].top - 1, item.w + 2, item.h + 2)); }
        return choice;
      });
      // write
      badges.forEach(function (item) {
        item.badge.getElement().classList.toggle("fl-hidden", hiddenBadges.has(item.badge));
      });
      labels.forEach(function (item, index) {
        var span = item.label.span;
        POSITIONS.forEach(function (p) { span.classList.remove("fl-" + p); });
        var choice = choices[index];
        span.classList.toggle("fl-hidden", !choice);
        span.classList.add("fl-" + (choice || "right"));
      });
    }

    // After any zoom or animated move the labels are measured again where they now are.
    map.on("zoomend moveend", function () { if (state.data) { declutter(); } });

    // --- legend and heading ------------------------------------------------------------

    function drawLegend(data) {
      var box = legend.getContainer();
      box.replaceChildren();
      box.appendChild(el("p", longDay(data.day), "fl-date"));
      var list = el("ul", null, "fl-legend-list");
      data.sides.forEach(function (side) {
        list.appendChild(el("li", null, null, [swatch(side.colour, "fl-area-swatch"), document.createTextNode(side.label)]));
      });
      if (data.hatched) {
        list.appendChild(el("li", null, null, [swatch(null, "fl-hatch-swatch"),
          document.createTextNode("hatched: unconfirmed, denied or low-confidence report")]));
      }
      if (data.fronts.length) {
        list.appendChild(el("li", null, null, [swatch(null, "fl-front-swatch"), document.createTextNode("front line")]));
      }
      if (data.places.some(function (p) { return (p.group || []).length; })) {
        list.appendChild(el("li", null, null, [el("span", "+3", "fl-count"),
          document.createTextNode("places placed approximately at a town")]));
      }
      box.appendChild(list);
      L.DomEvent.disableClickPropagation(box);
    }

    function drawHeading(data) {
      if (!heading) { return; }
      var box = heading.getContainer();
      box.replaceChildren(el("h1", data.title), el("p", data.caption, "fl-caption"));
    }

    // --- the view ----------------------------------------------------------------------

    /* The story's view, its places clear of the controls at the top and the bottom. */
    function fit(view) {
      markSmall();
      var shown = controls();
      map.fitBounds(view, { paddingTopLeft: [20, shown.top + 12], paddingBottomRight: [20, shown.bottom + 12],
                            maxZoom: 11 });
    }

    function show(data, how) {
      how = how || {};
      var first = !state.data;
      state.data = data;
      drawLegend(data);
      drawHeading(data);
      if (first || how.fit) { fit(data.view); }
      drawAreas(data);
      drawPlaces(data, how.changed || new Set());
      drawLabels();
    }

    return {
      map: map,
      setBase: setBase,
      show: show,
      fit: fit,
      declutter: declutter,
      openPlace: openPlace,
      openPopup: openPopup,
      anchorOf: function (placeId) {
        var place = state.places.get(placeId);
        var marker = place && state.markers.get(place.anchor);
        return marker ? marker.getLatLng() : null;
      },
      markerOf: function (placeId) { return state.markers.get(placeId) || null; },
      placeOf: function (placeId) { return state.places.get(placeId) || null; }
    };
  }

  global.FrontlinesMap = { create: create, placePopup: placePopup };
}(window));
