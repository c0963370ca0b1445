/* frontlines: the map page.  It reads the JSON API of the same server; every string that comes
   from the store (document text, names, sources) reaches the page through textContent or a
   DOM property, never as markup. */
(function () {
  "use strict";

  const DAY_MS = 86400000;
  const PLAY_STEP_MS = 800;
  const DEBOUNCE_MS = 120;
  const CACHE_DAYS = 60;
  const PAGE = 1000;
  const FACT_CLAIMS = new Set(["reported", "claimed"]);
  const EVENT_TYPES = {
    "Battles": "battles", "Explosions/Remote violence": "explosions",
    "Violence against civilians": "civilians", "Strategic developments": "strategic",
    "Protests": "protests", "Riots": "riots"
  };

  const state = {
    info: null, sides: new Map(), day: null, wanted: null, first: 0, last: 0,
    cache: new Map(), places: [], documents: new Map(),
    events: [], eventBoxes: [], timelineDays: [], playing: false, playTimer: null, debounce: null, fitted: false
  };

  // --- DOM helpers -------------------------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  /* An element with text (always through textContent), a class and children. */
  function el(tag, text, className, children) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null && text !== "") { node.textContent = String(text); }
    if (className) { node.className = className; }
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function button(text, className, onClick) {
    const node = el("button", text, className);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function clear(node) { node.replaceChildren(); return node; }

  function isWebAddress(url) { return typeof url === "string" && /^https?:\/\/[^\s<>"']+$/i.test(url); }

  /* A link that opens a web page; anything but an http(s) address stays plain text. */
  function link(text, url) {
    if (!isWebAddress(url)) { return el("span", text); }
    const node = el("a", text);
    node.href = url;
    node.rel = "noopener noreferrer nofollow";
    node.target = "_blank";
    return node;
  }

  // --- dates -------------------------------------------------------------------------------

  function dayNumber(iso) { return Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS); }
  function isoDay(number) { return new Date(number * DAY_MS).toISOString().slice(0, 10); }
  function isIsoDay(text) { return /^\d{4}-\d{2}-\d{2}$/.test(text || "") && !isNaN(Date.parse(text)); }

  function longDate(iso) {
    return new Date(iso + "T00:00:00Z").toLocaleDateString("en-GB", {
      weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC"
    });
  }

  // --- the API -----------------------------------------------------------------------------

  async function api(path, params) {
    const url = new URL(path, window.location.origin);
    Object.keys(params || {}).forEach(function (key) {
      if (params[key] !== null && params[key] !== undefined) { url.searchParams.set(key, params[key]); }
    });
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await response.json().catch(function () { return {}; });
    if (!response.ok) { throw new Error(body.error || response.statusText); }
    return body;
  }

  /* Everything the map shows on one day: control, that day's changes and events (cached). */
  function dayData(day) {
    if (!state.cache.has(day)) {
      const one = { since: day, until: day, limit: PAGE };
      const loading = Promise.all([api("/api/map", { date: day }), api("/api/changes", one),
                                   api("/api/events", one)])
        .then(function (parts) {
          return { map: parts[0], changes: parts[1].items, events: parts[2].items,
                   moreEvents: parts[2].next_offset !== null };
        });
      loading.catch(function () { state.cache.delete(day); });
      state.cache.set(day, loading);
      if (state.cache.size > CACHE_DAYS) { state.cache.delete(state.cache.keys().next().value); }
    }
    return state.cache.get(day);
  }

  // --- sides, claims, sources --------------------------------------------------------------

  function side(key) {
    const known = state.sides.get(key);
    return known || { key: key, label: key || "unknown", colour: state.info.unknown_colour };
  }

  function swatch(colour) {
    const node = el("span", null, "swatch");
    node.style.background = colour;
    return node;
  }

  function claimBadge(claim) {
    const known = ["reported", "claimed", "denied", "unconfirmed"].indexOf(claim) >= 0;
    return el("span", claim || "unknown", "badge claim-" + (known ? claim : "unknown"));
  }

  function sourceText(source) {
    const title = source.title ? "\u201c" + source.title + "\u201d" : null;
    const parts = [source.publisher, title, source.date].filter(Boolean);
    return parts.join(", ") || source.text || source.url || "source";
  }

  function sourceList(sources) {
    const list = el("ol", null, "sources");
    (sources || []).forEach(function (source) {
      const item = el("li", sourceText(source));
      if (isWebAddress(source.url)) { item.append(" "); item.appendChild(link("link", source.url)); }
      list.appendChild(item);
    });
    return list.children.length ? list : null;
  }

  /* A document's title, else the last part of its file name or address, else its id. */
  function documentName(doc) {
    const source = (doc.source || "").replace(/[\\/]+$/, "");
    return doc.title || source.slice(Math.max(source.lastIndexOf("/"), source.lastIndexOf("\\")) + 1) || doc.doc_id;
  }

  function documentLine(docId, span) {
    if (!docId) { return null; }
    const known = state.documents.get(docId);
    const name = known ? documentName(known) : docId;
    return el("p", "Document: ", "doc-line", [
      button(name, "linkish", function () { openDocument(docId, span); })
    ]);
  }

  function evidence(text) { return text ? el("blockquote", text, "evidence") : null; }

  // --- the map -----------------------------------------------------------------------------

  /* The map itself is drawn by the renderer the static map uses too (frontlines-map.js);
     this page adds the day's events, the panel and the document reader around it. */
  const view = FrontlinesMap.create("map", { popupExtras: placeExtras, obstacles: function () { return state.eventBoxes; } });
  const map = view.map;
  const eventLayer = L.layerGroup().addTo(map);

  /* What a place's popup adds here: its document and its history of control. */
  function placeExtras(place) {
    return [documentLine(place.doc_id, place.evidence_span),
            button("History of control", "small", function () { showPlace(place.id); })];
  }

  function located(rows) {
    return rows.filter(function (r) { return r.latitude !== null && r.longitude !== null; });
  }

  function spotKey(lat, lon) { return lat.toFixed(4) + "," + lon.toFixed(4); }

  /* The base map around the story's view, once. */
  function loadBase(corners) {
    const params = { south: corners[0][0], west: corners[0][1], north: corners[1][0], east: corners[1][1] };
    return api("/api/basemap", params).then(function (base) { view.setBase(base); })
      .catch(function () {});
  }

  function eventPopup(event) {
    const actors = [[event.actor1, event.side1], [event.actor2, event.side2]]
      .filter(function (pair) { return pair[0]; })
      .map(function (pair) {
        const label = pair[1] ? side(pair[1]).label : null;
        return pair[0] + (label && label !== pair[0] ? " (" + label + ")" : "");
      });
    const facts = [event.confidence !== null ? "confidence " + event.confidence : null,
                   event.fatalities ? event.fatalities + " killed" : null,
                   event.corroboration > 1 ? event.corroboration + " documents" : null].filter(Boolean);
    const root = el("div", null, "popup", [
      el("h2", event.sub_event_type || event.event_type || "Event"),
      el("p", (event.event_date || "undated") + " \u00b7 " + (event.location || "unknown place"), "muted"),
      actors.length ? el("p", "Actors: " + actors.join(" \u2014 ")) : null,
      el("p", null, null, [claimBadge(event.claim), document.createTextNode(facts.length ? " " + facts.join(", ") : "")]),
      evidence(event.evidence), documentLine(event.doc_id, event.evidence_span), sourceList(event.sources)
    ]);
    return root;
  }

  /* The day's events as diamonds beside their place's marker (several in rows). */
  function drawEvents(events) {
    state.events = events;
    state.eventBoxes = [];
    eventLayer.clearLayers();
    const perSpot = new Map();
    located(events).forEach(function (event) {
      const at = view.anchorOf(event.place_id) || L.latLng(event.latitude, event.longitude);
      const spot = spotKey(at.lat, at.lng);
      const index = perSpot.get(spot) || 0;
      perSpot.set(spot, index + 1);
      const glyph = el("span", null, "event-glyph type-" + (EVENT_TYPES[event.event_type] || "other"));
      const dx = 5 + 15 * (index % 6), dy = -18 - 15 * Math.floor(index / 6);
      state.eventBoxes.push({ lat: at.lat, lon: at.lng, dx: dx, dy: dy, w: 14, h: 14 });  // labels keep off it
      const marker = L.marker(at, {
        icon: L.divIcon({ className: "event-icon", html: glyph, iconSize: [14, 14], iconAnchor: [-dx, -dy] }),
        title: (event.sub_event_type || event.event_type || "Event") + " \u2014 " + (event.location || ""),
        riseOnHover: true
      });
      marker.on("click", function () { view.openPopup(at, eventPopup(event), [dx + 7, dy + 7]); });
      marker.addTo(eventLayer);
      marker.getElement().setAttribute("data-event-id", String(event.id));
    });
    view.declutter();
  }

  // --- the panel: legend, the day's changes ------------------------------------------------

  function allPlaces(mapData) {
    return mapData.places.reduce(function (all, place) { return all.concat([place], place.group || []); }, []);
  }

  function drawLegend(mapData, events) {
    const list = clear($("legend-list"));
    const counts = new Map();
    allPlaces(mapData).forEach(function (place) { counts.set(place.side, (counts.get(place.side) || 0) + 1); });
    Array.from(counts.entries()).sort(function (a, b) { return b[1] - a[1]; }).forEach(function (entry) {
      const held = side(entry[0]);
      list.appendChild(el("li", null, null, [swatch(held.colour), document.createTextNode(held.label + " (" + entry[1] + ")")]));
    });
    list.appendChild(el("li", null, null, [el("span", null, "swatch ring"), document.createTextNode("changed hands this day")]));
    list.appendChild(el("li", null, null, [el("span", null, "swatch dashed"), document.createTextNode("denied or unconfirmed report")]));
    const types = new Set(events.map(function (e) { return e.event_type; }));
    Array.from(types).sort().forEach(function (type) {
      list.appendChild(el("li", null, null, [el("span", null, "event-glyph type-" + (EVENT_TYPES[type] || "other")),
                                             document.createTextNode(type || "event")]));
    });
  }

  function changeLine(change) {
    const from = change.previous_controller ? side(change.previous_controller).label : "?";
    return change.place + ": " + from + " \u2192 " + side(change.new_controller).label +
      (change.kind ? " (" + change.kind + ")" : "");
  }

  function sideMark(key) {
    const held = side(key);
    const mark = swatch(held.colour);
    mark.title = held.label;
    mark.setAttribute("role", "img");
    mark.setAttribute("aria-label", held.label);
    return mark;
  }

  /* "Talbiseh  (red) -> (green) capture [reported]": the sides' names are on the swatches. */
  function drawToday(changes) {
    const list = clear($("today-list"));
    changes.forEach(function (change) {
      list.appendChild(el("li", null, "today-item", [
        button(change.place, "linkish place-name", function () { focusPlace(change.place_id); }),
        sideMark(change.previous_controller), document.createTextNode("\u2192"), sideMark(change.new_controller),
        el("span", change.kind, "muted"), claimBadge(change.claim)
      ]));
    });
    if (!changes.length) { list.appendChild(el("li", "None.", "muted")); }
  }

  // --- showing a day -----------------------------------------------------------------------

  async function show(day) {
    state.wanted = day;
    $("slider").value = String(dayNumber(day));
    $("date-label").textContent = longDate(day);
    let data;
    try {
      data = await dayData(day);
    } catch (err) {
      $("status").textContent = "Could not load " + day + ": " + err.message;
      return;
    }
    if (state.wanted !== day) { return; }
    const changedToday = new Set(data.changes.filter(function (c) { return FACT_CLAIMS.has(c.claim); })
                                   .map(function (c) { return c.place_id; }));
    const first = !state.fitted;
    state.fitted = true;
    view.show(data.map, { fit: first, changed: changedToday });
    if (first) { loadBase(data.map.view); }
    drawEvents(data.events);
    drawLegend(data.map, data.events);
    drawToday(data.changes);
    syncTimeline(day);
    $("status").textContent = allPlaces(data.map).length + " places, " + data.events.length +
      (data.moreEvents ? "+" : "") + " events and " + data.changes.length + " changes on this day.";
    state.day = day;
    document.body.dataset.date = day;
    window.history.replaceState(null, "", "#" + day);
    prefetch(day);
  }

  function prefetch(day) {
    const next = dayNumber(day) + 1;
    if (next <= state.last) { dayData(isoDay(next)).catch(function () {}); }
  }

  function goTo(day) {
    const number = Math.min(state.last, Math.max(state.first, dayNumber(day)));
    return show(isoDay(number));
  }

  function step(delta) {
    const number = dayNumber(state.wanted || state.day) + delta;
    if (number < state.first || number > state.last) { return Promise.resolve(false); }
    return show(isoDay(number)).then(function () { return true; });
  }

  function setPlaying(playing) {
    state.playing = playing;
    const play = $("play");
    play.textContent = playing ? "\u275a\u275a Pause" : "\u25b6\ufe0e Play";
    play.setAttribute("aria-pressed", String(playing));
    play.title = playing ? "Pause" : "Play";
    window.clearTimeout(state.playTimer);
    if (playing) {
      if (dayNumber(state.day) >= state.last) { goTo(isoDay(state.first)); }
      tick();
    }
  }

  function tick() {
    state.playTimer = window.setTimeout(function () {
      if (!state.playing) { return; }
      step(1).then(function (moved) { if (moved && state.playing) { tick(); } else { setPlaying(false); } });
    }, PLAY_STEP_MS);
  }

  function wireControls() {
    const slider = $("slider");
    slider.min = String(state.first);
    slider.max = String(state.last);
    slider.disabled = state.first === state.last;
    $("first-day").textContent = isoDay(state.first);
    $("last-day").textContent = isoDay(state.last);
    slider.addEventListener("input", function () {
      const day = isoDay(Number(slider.value));
      $("date-label").textContent = longDate(day);
      window.clearTimeout(state.debounce);
      state.debounce = window.setTimeout(function () { show(day); }, DEBOUNCE_MS);
    });
    slider.addEventListener("change", function () {
      window.clearTimeout(state.debounce);
      show(isoDay(Number(slider.value)));
    });
    $("prev").addEventListener("click", function () { setPlaying(false); step(-1); });
    $("next").addEventListener("click", function () { setPlaying(false); step(1); });
    $("play").addEventListener("click", function () { setPlaying(!state.playing); });
    window.addEventListener("hashchange", function () {
      const asked = decodeURIComponent(window.location.hash.slice(1));
      if (isIsoDay(asked) && asked !== state.day) { goTo(asked); }
    });
  }

  // --- the timeline ------------------------------------------------------------------------

  /* A line of the timeline: a link to its day (the page opens on the day in its address). */
  function timelineEntry(entry, notes) {
    const item = el("li", null, "tl-entry tl-" + entry.kind);
    const line = el("a", entry.text, "tl-line");
    line.href = "#" + (entry.day || "");
    line.addEventListener("click", function (event) {
      event.preventDefault();
      setPlaying(false);
      if (entry.day) { goTo(entry.day); }
      const points = entry.places.map(function (p) { return [p.latitude, p.longitude]; });
      if (points.length) { map.fitBounds(points, { padding: [60, 60], maxZoom: Math.max(map.getZoom(), 9) }); }
    });
    item.appendChild(line);
    entry.cites.forEach(function (number) {
      const note = notes[number - 1];
      const cite = el("sup", "[" + number + "]", "cite");
      if (note) { cite.title = note.text; }
      item.appendChild(cite);
    });
    return item;
  }

  function drawTimeline(data) {
    const box = clear($("timeline-list"));
    state.timelineDays = [];
    data.days.forEach(function (group) {
      const day = group.entries[0].day;
      const section = el("section", null, "tl-day", [el("h3", group.heading)]);
      const list = el("ul", null, "plain");
      group.entries.forEach(function (entry) { list.appendChild(timelineEntry(entry, data.notes)); });
      section.appendChild(list);
      box.appendChild(section);
      if (day && group.entries[0].precision === "day") { state.timelineDays.push({ day: day, node: section }); }
    });
    if (!data.days.length) { box.appendChild(el("p", "No events or control changes.", "muted")); }
    if (data.notes.length) {
      const list = el("ol");
      data.notes.forEach(function (note) {
        const item = el("li", note.text);
        if (isWebAddress(note.url)) { item.append(" "); item.appendChild(link("link", note.url)); }
        list.appendChild(item);
      });
      box.appendChild(el("details", null, "notes", [el("summary", "Sources (" + data.notes.length + ")"), list]));
    }
    document.body.dataset.timeline = "ready";
    if (state.day) { syncTimeline(state.day); }
  }

  /* The timeline follows the slider: the day's lines are marked and scrolled into view. */
  function syncTimeline(day) {
    const box = $("timeline-list");
    let current = null;
    state.timelineDays.forEach(function (item) {
      item.node.classList.remove("current");
      if (item.day <= day) { current = item; }
    });
    if (!current) { return; }
    if (current.day === day) { current.node.classList.add("current"); }
    const top = current.node.offsetTop;  // the list is the sections' offset parent
    if (top < box.scrollTop || top > box.scrollTop + box.clientHeight - 40) { box.scrollTop = Math.max(0, top - 8); }
  }

  // --- places: search and history ----------------------------------------------------------

  function plain(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  function findPlace(query) {
    const wanted = plain(query);
    if (!wanted) { return null; }
    const names = function (place) { return [place.name].concat(place.aliases || []).map(plain); };
    const tests = [
      function (n) { return n === wanted; },
      function (n) { return n.indexOf(wanted) === 0; },
      function (n) { return n.indexOf(wanted) >= 0; }
    ];
    for (const test of tests) {
      const hit = state.places.find(function (place) { return names(place).some(test); });
      if (hit) { return hit; }
    }
    return null;
  }

  function fillPlaceNames(places) {
    state.places = places;
    const list = clear($("place-names"));
    places.forEach(function (place) {
      const option = document.createElement("option");
      option.value = place.name;
      list.appendChild(option);
    });
  }

  function focusPlace(placeId) {
    const anchor = view.anchorOf(placeId);
    const place = state.places.find(function (p) { return p.place_id === placeId; });
    const at = anchor || (place && place.latitude !== null ? [place.latitude, place.longitude] : null);
    if (at) { map.setView(at, Math.max(map.getZoom(), 10)); }
    if (anchor) { view.openPlace(placeId); }
  }

  function historyItem(row, isChange) {
    const day = isChange ? row.date : row.event_date;
    const what = isChange ? changeLine(row) : (row.sub_event_type || row.event_type || "Event");
    return el("li", null, "history-item", [
      el("p", null, null, [day ? button(day, "linkish", function () { setPlaying(false); goTo(day); }) : el("span", "undated"),
                           document.createTextNode(" " + what + " "), claimBadge(row.claim)]),
      evidence(row.evidence), documentLine(row.doc_id, row.evidence_span), sourceList(row.sources)
    ]);
  }

  async function showPlace(placeId) {
    const panel = $("detail");
    const body = clear($("detail-body"));
    $("detail-title").textContent = "Loading…";
    panel.hidden = false;
    let place;
    try {
      place = await api("/api/places/" + encodeURIComponent(placeId));
    } catch (err) {
      $("detail-title").textContent = "Could not load the place: " + err.message;
      return;
    }
    $("detail-title").textContent = place.place;
    body.appendChild(el("p", [place.admin1, place.country].filter(Boolean).join(", "), "muted"));
    if (place.initial_state) {
      body.appendChild(el("p", "Initial state: " + side(place.initial_state.controller).label +
        (place.initial_state.as_of ? " as of " + place.initial_state.as_of : "") +
        " (" + place.initial_state.source_name + ")"));
    }
    body.appendChild(el("h3", "Changes of control (" + place.changes.length + ")"));
    body.appendChild(el("ul", null, "plain", place.changes.map(function (c) { return historyItem(c, true); })));
    body.appendChild(el("h3", "Events (" + place.events.length + ")"));
    body.appendChild(el("ul", null, "plain", place.events.map(function (e) { return historyItem(e, false); })));
    panel.scrollIntoView({ block: "nearest" });
  }

  function wireSearch() {
    $("search").addEventListener("submit", function (event) {
      event.preventDefault();
      const query = $("search-input").value;
      const place = findPlace(query);
      if (!place) {
        $("status").textContent = "No known place matches \u201c" + query + "\u201d.";
        return;
      }
      focusPlace(place.place_id);
      showPlace(place.place_id);
    });
    $("detail-close").addEventListener("click", function () { $("detail").hidden = true; });
  }

  // --- the document reader -----------------------------------------------------------------

  function overlaps(span, other) { return span && other && span[0] < other[1] && other[0] < span[1]; }

  function documentMeta(doc) {
    const meta = clear($("reader-meta"));
    const parts = [doc.source, doc.published ? "published " + doc.published : null, doc.format,
                   doc.n_events + " events, " + doc.n_changes + " changes"].filter(Boolean);
    meta.appendChild(document.createTextNode(parts.join(" \u00b7 ")));
    if (isWebAddress(doc.url)) { meta.append(" \u00b7 "); meta.appendChild(link(doc.url, doc.url)); }
  }

  function sentenceNode(sentence, span) {
    const narrative = sentence.zone === "lead" || sentence.zone === "body";
    const node = el("span", sentence.text, "sentence" + (narrative ? "" : " aside") +
                    (overlaps(sentence.span, span) ? " evidence-mark" : ""));
    if (sentence.date) { node.title = sentence.date + (sentence.precision ? " (" + sentence.precision + ")" : ""); }
    sentence.sources.forEach(function (source) {
      const cite = el("sup", "[" + source.number + "]", "cite");
      cite.title = sourceText(source);
      node.appendChild(cite);
    });
    return node;
  }

  async function openDocument(docId, span) {
    const reader = $("reader");
    const body = clear($("reader-body"));
    $("reader-title").textContent = "Loading…";
    clear($("reader-meta"));
    reader.hidden = false;
    let doc;
    try {
      doc = await api("/api/documents/" + encodeURIComponent(docId));
    } catch (err) {
      $("reader-title").textContent = "Could not load the document: " + err.message;
      return;
    }
    $("reader-title").textContent = documentName(doc);
    documentMeta(doc);
    let paragraph = null;
    let last = null;
    doc.sentences.forEach(function (sentence) {
      if (!paragraph || sentence.paragraph !== last) {
        paragraph = body.appendChild(el("p", null, "doc-paragraph"));
        last = sentence.paragraph;
      }
      paragraph.appendChild(sentenceNode(sentence, span));
      paragraph.append(" ");
    });
    if (!doc.sentences.length) { body.appendChild(el("p", "This source has no stored text (rows only).", "muted")); }
    if (doc.references.length) {
      body.appendChild(el("h3", "References"));
      const list = body.appendChild(el("ol", null, "sources"));
      doc.references.forEach(function (ref) {
        const item = el("li", ref.text);
        item.value = ref.number;
        if (isWebAddress(ref.url)) { item.append(" "); item.appendChild(link("link", ref.url)); }
        list.appendChild(item);
      });
    }
    const mark = body.querySelector(".evidence-mark");
    if (mark) { mark.scrollIntoView({ block: "center" }); }
    $("reader-close").focus();
  }

  function wireReader() {
    const close = function () { $("reader").hidden = true; };
    $("reader-close").addEventListener("click", close);
    $("reader").addEventListener("click", function (event) { if (event.target === $("reader")) { close(); } });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
  }

  // --- start -------------------------------------------------------------------------------

  function background() {
    api("/api/documents").then(function (docs) {
      docs.forEach(function (doc) { state.documents.set(doc.doc_id, doc); });
    }).catch(function () {});
    api("/api/places").then(fillPlaceNames).catch(function () {});
    api("/api/timeline").then(drawTimeline).catch(function (err) {
      clear($("timeline-list")).appendChild(el("p", "Could not load the timeline: " + err.message, "muted"));
    });
  }

  async function start() {
    state.info = await api("/api/info");
    state.info.sides.forEach(function (s) { state.sides.set(s.key, s); });
    $("title").textContent = state.info.title;
    document.title = state.info.title + " \u2014 frontlines";
    const days = state.info.days;
    const today = new Date().toISOString().slice(0, 10);
    state.first = dayNumber(days.first || today);
    state.last = dayNumber(days.last || today);
    wireControls();
    wireSearch();
    wireReader();
    map.fitBounds(state.info.view);  // until the first day's view is known
    const asked = decodeURIComponent(window.location.hash.slice(1));
    const initial = isIsoDay(asked) ? asked : (days.default || days.last || today);
    await goTo(initial);
    window.frontlinesFirstRender = performance.now();
    document.body.dataset.rendered = "true";
    background();
  }

  start().catch(function (err) {
    $("status").textContent = "Could not start: " + err.message;
  });
}());
