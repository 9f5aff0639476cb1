/* coopgraph evidence dossier: draws the graph (Cytoscape.js + ELK layered), shows a clicked node's or
 * hop's claims, and applies the on-page filters. Data comes from the JSON block #dossier-data.
 * Every value reaches the page through textContent (or a canvas label): never as HTML. */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('dossier-data').textContent);
  var api = { data: data, ready: false, cy: null, errors: [] };
  window.coopgraphDossier = api;

  var hops = {};
  data.hops.forEach(function (h) { hops[h.n] = h; });
  var routes = {};
  data.routes.forEach(function (r) { routes[r.rank] = r; });
  var FLOW = data.question.flow_arrows;
  var KIND_NOUN = { chains: 'chain', impact: 'lost chain', path: 'path', neighbours: 'neighbour' }[data.question.kind];

  // -- small DOM helpers: text only ------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function link(href, text) { var a = el('a', null, text); a.setAttribute('href', href); return a; }
  function num(x) { return x === null || x === undefined ? '' : String(Math.round(x * 1000) / 1000); }

  // -- filters ----------------------------------------------------------------------------------------
  var form = document.getElementById('filters');
  var state = { from: null, to: null, undated: false, statuses: null, minConf: 0 };
  var passes = {};      // claim id -> bool
  var keptRoutes = {};  // rank -> bool

  function bound(text, end) {
    text = (text || '').trim();
    if (!text) return null;
    var m = /^(\d{3}0)s$/.exec(text);
    if (m) return end ? m[1].slice(0, 3) + '9-12-31' : m[1] + '-01-01';
    if (/^\d{4}$/.test(text)) return text + (end ? '-12-31' : '-01-01');
    if (/^\d{4}-\d{2}$/.test(text)) return text + (end ? '-31' : '-01');
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;
    return undefined;  // not a date: ignored, and the field shows as invalid
  }

  function claimPasses(c) {
    if (state.minConf > 0 && !(c.confidence >= state.minConf - 1e-9)) return false;
    if (state.statuses && !state.statuses[c.status || '']) return false;
    if (state.from || state.to) {
      if (!c.first) return state.undated;
      if (state.from && c.last < state.from) return false;
      if (state.to && c.first > state.to) return false;
    }
    return true;
  }

  function readForm() {
    if (!form) return;
    var from = bound(form.elements.from.value, false), to = bound(form.elements.to.value, true);
    state.from = from || null; state.to = to || null;
    state.undated = form.elements.undated.checked;
    state.minConf = parseFloat(form.elements.confidence.value) || 0;
    var out = form.querySelector('output');
    if (out) out.textContent = num(state.minConf);
    var boxes = form.querySelectorAll('input[name=status]');
    state.statuses = {};
    boxes.forEach(function (b) { state.statuses[b.value] = b.checked; });
  }

  function applyFilters() {
    readForm();
    var claimsShown = 0, claimsAll = 0;
    Object.keys(data.claims).forEach(function (id) {
      passes[id] = claimPasses(data.claims[id]);
      claimsAll += 1; claimsShown += passes[id] ? 1 : 0;
    });
    var shown = 0;
    data.routes.forEach(function (r) {
      keptRoutes[r.rank] = r.steps.every(function (s) { return s.claims.some(function (c) { return passes[c]; }); });
      shown += keptRoutes[r.rank] ? 1 : 0;
    });
    document.querySelectorAll('tr.route').forEach(function (tr) {
      tr.classList.toggle('filtered-out', !keptRoutes[tr.getAttribute('data-route')]);
    });
    document.querySelectorAll('.claim[data-claim]').forEach(function (div) {
      div.classList.toggle('filtered-out', !passes[div.getAttribute('data-claim')]);
    });
    document.querySelectorAll('ol.evidence > li').forEach(function (li) {
      var hop = hops[li.getAttribute('data-hop')];
      li.classList.toggle('filtered-out', !hop.claims.some(function (c) { return passes[c]; }));
    });
    if (api.cy) {
      var visibleNodes = {}, visibleHops = {};
      data.routes.forEach(function (r) {
        if (!keptRoutes[r.rank]) return;
        r.nodes.forEach(function (n) { visibleNodes[n] = true; });
        r.steps.forEach(function (s) { visibleHops[s.hop] = true; });
      });
      api.cy.batch(function () {
        api.cy.nodes().forEach(function (n) { n.toggleClass('filtered', !visibleNodes[n.id()]); });
        api.cy.edges().forEach(function (e) { e.toggleClass('filtered', !visibleHops[e.data('hop')]); });
      });
    }
    var count = document.getElementById('filter-count');
    if (count) {
      count.textContent = 'Showing ' + shown + ' of ' + data.routes.length + ' ' + KIND_NOUN +
        (data.routes.length === 1 ? '' : 's') + ' (' + claimsShown + ' of ' + claimsAll + ' claims)';
    }
    if (current) current();
  }

  if (form) {
    form.addEventListener('submit', function (ev) { ev.preventDefault(); });
    form.addEventListener('input', applyFilters);
    form.addEventListener('change', applyFilters);
    var reset = document.getElementById('reset-filters');
    if (reset) reset.addEventListener('click', function () { form.reset(); applyFilters(); });
  }

  // -- the details panel ------------------------------------------------------------------------------
  var details = document.getElementById('details');
  var current = null;  // re-renders the panel after a filter change

  function docTitle(id) { var d = data.documents[id]; return d && d.title ? d.title : id; }

  function claimBlock(c) {
    var box = el('div', 'claim' + (passes[c.claim] === false ? ' filtered-out' : ''));
    box.setAttribute('data-claim', c.claim);
    add(box, el('p', 'statement', c.statement));
    var meta = [c.when || 'undated'];
    if (c.status) meta.push(c.status);
    if (c.confidence !== null && c.confidence !== undefined) meta.push('confidence ' + num(c.confidence));
    if (c.quantity !== null && c.quantity !== undefined) meta.push('quantity ' + c.quantity + (c.unit ? ' ' + c.unit : ''));
    if (c.deal) meta.push('deal ' + ((data.deals[c.deal] && data.deals[c.deal].label) || c.deal));
    add(box, el('p', 'meta', meta.join(' · ')));
    c.citations.forEach(function (cit) {
      add(box, el('blockquote', 'quote', cit.quote));
      var src = el('p', 'source', '— ');
      var anchor = data.doc_anchor[cit.document];
      var title = el('cite', null, docTitle(cit.document));
      if (anchor) { var a = link('#' + anchor); a.appendChild(title); src.appendChild(a); } else src.appendChild(title);
      var doc = data.documents[cit.document] || {};
      src.appendChild(document.createTextNode((doc.date ? ' (' + doc.date + ')' : '') + ', ' + cit.locator));
      add(box, src);
    });
    return box;
  }

  function nodeName(id) { var n = data.nodes[id]; return n ? n.name + (n.type === 'deal' ? ' (deal)' : '') : id; }

  function hopHead(h) {
    var arrow = h.arrow === 'target' ? ' → ' : h.arrow === 'source' ? ' ← ' : ' — ';
    return nodeName(h.from) + arrow + nodeName(h.to);
  }

  function usedBy(list) {
    var p = el('p', 'kind', (list.length === 1 ? KIND_NOUN : KIND_NOUN + 's') + ' ');
    list.forEach(function (rank, i) {
      if (i) p.appendChild(document.createTextNode(', '));
      p.appendChild(link('#route-' + rank, String(rank)));
    });
    return p;
  }

  function hopBlock(h, withHead) {
    var box = el('div', withHead ? 'hop-block' : null);
    if (withHead) {
      var head = el('p', 'hop-head');
      head.appendChild(link('#ev-' + h.n, '[' + h.n + '] '));
      head.appendChild(document.createTextNode(hopHead(h)));
      add(box, head);
    }
    h.claims.forEach(function (id) { add(box, claimBlock(data.claims[id])); });
    return box;
  }

  function showHop(n) {
    var h = hops[n];
    if (!h || !details) return;
    current = function () { showHop(n); };
    details.textContent = '';
    add(details, el('h3', null, hopHead(h)));
    var kind = el('p', 'kind', 'Hop ' + h.n + ': ' + h.relations.join(', ') + ' · ');
    kind.appendChild(link('#ev-' + h.n, 'evidence [' + h.n + ']'));
    add(details, kind, usedBy(h.routes), hopBlock(h, false));
  }

  function showNode(id) {
    var n = data.nodes[id];
    if (!n || !details) return;
    current = function () { showNode(id); };
    details.textContent = '';
    add(details, el('h3', null, n.name));
    add(details, el('p', 'kind', (n.type === 'deal' ? 'deal (one transfer)' : n.type.replace(/_/g, ' ')) + ' · ' + n.id +
      (n.role ? ' · ' + { source: 'start', target: 'end', removed: 'removed', centre: 'asked about' }[n.role] : '')));
    if (n.type === 'deal') {
      var d = data.deals[id] || {};
      var dl = el('dl');
      [['transfer', d.label], ['status', d.status], ['ordered', d.ordered], ['delivered', d.delivered], ['unit', d.unit],
       ['order date', d.order_date], ['delivery dates', (d.delivery_dates || []).join(', ')],
       ['reported', (d.reported_dates || []).join(', ')], ['value', d.value && typeof d.value === 'object' ? JSON.stringify(d.value) : d.value],
       ['documents', (d.documents || []).map(docTitle).join('; ')]].forEach(function (row) {
        if (row[1] === null || row[1] === undefined || row[1] === '') return;
        add(dl, el('dt', null, row[0]), el('dd', null, row[1]));
      });
      add(details, dl);
    }
    var touching = data.hops.filter(function (h) { return h.from === id || h.to === id; });
    add(details, el('p', 'kind', touching.length + ' hop' + (touching.length === 1 ? '' : 's') + ' in this dossier'));
    touching.forEach(function (h) { add(details, hopBlock(h, true)); });
  }

  function clearDetails() {
    current = null;
    if (!details) return;
    details.textContent = '';
    add(details, el('p', 'placeholder', 'Click a node or a hop (a line) to see its claims: dates, status, confidence, quantity, and every citation with its quote.'));
  }

  // -- the graph --------------------------------------------------------------------------------------
  var FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
  var measure = document.createElement('canvas').getContext('2d');
  measure.font = FONT;

  function wrap(text, width) {
    var words = String(text).split(/\s+/), lines = [], line = '';
    words.forEach(function (w) {
      var next = line ? line + ' ' + w : w;
      if (line && measure.measureText(next).width > width) { lines.push(line); line = w; } else line = next;
    });
    if (line) lines.push(line);
    return lines;
  }

  function nodeElement(n) {
    var deal = n.type === 'deal';
    var lines = wrap(n.name, 170);
    var widest = Math.max.apply(null, lines.map(function (l) { return measure.measureText(l).width; }));
    var colour = deal ? data.palette.deal : (data.palette.types[n.type] || '#dddddd');
    var itemColour = deal && n.item_type ? (data.palette.types[n.item_type] || '#777777') : '#555555';
    return {
      group: 'nodes',
      data: { id: n.id, label: lines.join('\n'), type: n.type, colour: colour, border: itemColour,
              w: Math.ceil(widest) + (deal ? 34 : 18), h: lines.length * 15 + 12, layer: n.layer || 0 },
      classes: [deal ? 'deal' : 'entity', n.role ? 'role-' + n.role : ''].join(' ')
    };
  }

  function edgeElement(h) {
    var rel = data.palette.relations[h.relations[0]] || { colour: '#777777', dashed: false };
    return {
      group: 'edges',
      data: { id: 'hop-' + h.n, source: h.from, target: h.to, hop: h.n, colour: rel.colour,
              label: '[' + h.n + '] ' + h.relations.join(', ').replace(/_/g, ' ') },
      classes: ['arrow-' + h.arrow, rel.dashed ? 'dashed' : ''].join(' ')
    };
  }

  var STYLE = [
    { selector: 'node', style: {
      'shape': 'round-rectangle', 'background-color': 'data(colour)', 'border-width': 1, 'border-color': '#4a4f55',
      'label': 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 400, 'text-valign': 'center', 'text-halign': 'center',
      'font-size': 12, 'font-family': FONT.replace(/^12px /, ''), 'color': '#111111', 'line-height': 1.25,
      'width': 'data(w)', 'height': 'data(h)', 'min-zoomed-font-size': 4 } },
    { selector: 'node.deal', style: { 'shape': 'cut-rectangle', 'border-style': 'dashed', 'border-width': 2,
      'border-color': 'data(border)', 'font-style': 'italic' } },
    { selector: 'node.role-source, node.role-target, node.role-centre', style: { 'border-width': 3, 'border-color': '#1b1f24' } },
    { selector: 'node.role-removed', style: { 'border-width': 4, 'border-color': '#c00000', 'border-style': 'double' } },
    { selector: 'edge', style: {
      'width': 2.2, 'line-color': 'data(colour)', 'curve-style': 'bezier', 'arrow-scale': 1.1,
      'target-arrow-color': 'data(colour)', 'source-arrow-color': 'data(colour)',
      'label': 'data(label)', 'font-size': 10, 'color': '#333333', 'text-rotation': 'autorotate',
      'text-background-color': '#ffffff', 'text-background-opacity': 0.85, 'text-background-padding': 1,
      'min-zoomed-font-size': 11 } },
    { selector: 'edge.arrow-target', style: { 'target-arrow-shape': 'triangle' } },
    { selector: 'edge.arrow-source', style: { 'source-arrow-shape': 'triangle' } },
    { selector: 'edge.dashed', style: { 'line-style': 'dashed' } },
    { selector: '.faded', style: { 'opacity': 0.22 } },
    { selector: '.filtered', style: { 'display': 'none' } },
    { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#0b5cad', 'overlay-opacity': 0 } },
    { selector: 'edge:selected', style: { 'width': 5, 'overlay-opacity': 0, 'min-zoomed-font-size': 0 } },
    { selector: '.lit', style: { 'opacity': 1 } }
  ];

  function highlight(collection) {
    var cy = api.cy;
    cy.elements().removeClass('faded lit');
    if (!collection || collection.empty()) return;
    cy.elements().not(collection).addClass('faded');
    collection.addClass('lit');
  }

  function showRoute(rank) {
    var r = routes[rank];
    if (!r || !api.cy) return;
    var cy = api.cy;
    var ids = r.nodes.map(function (n) { return '#' + cssId(n); }).concat(r.steps.map(function (s) { return '#hop-' + s.hop; }));
    var col = cy.collection();
    ids.forEach(function (sel) { col = col.union(cy.$(sel)); });
    cy.elements().unselect();
    highlight(col);
    cy.animate({ fit: { eles: col, padding: 60 } }, { duration: 250 });
    current = null;
    details.textContent = '';
    add(details, el('h3', null, KIND_NOUN.charAt(0).toUpperCase() + KIND_NOUN.slice(1) + ' ' + rank));
    add(details, el('p', 'kind', r.nodes.map(nodeName).join(' → ')));
    r.steps.forEach(function (s) { add(details, hopBlock(hops[s.hop], true)); });
    document.getElementById('graph').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  function cssId(id) { return window.CSS && CSS.escape ? CSS.escape(id) : String(id).replace(/([^\w-])/g, '\\$1'); }

  function selectHop(n, scroll) {
    if (!api.cy) { showHop(n); return; }
    var edge = api.cy.getElementById('hop-' + n);
    api.cy.elements().unselect();
    highlight(edge.union(edge.connectedNodes()));
    edge.select();
    showHop(n);
    if (scroll) {
      api.cy.animate({ center: { eles: edge } }, { duration: 250 });
      document.getElementById('graph').scrollIntoView({ behavior: 'smooth', block: 'start' });
    }
  }

  function toolbar(cy) {
    document.querySelectorAll('.toolbar button').forEach(function (b) {
      b.addEventListener('click', function () {
        var action = b.getAttribute('data-action');
        if (action === 'fit') cy.fit(cy.elements(':visible'), 30);
        else if (action === 'zoom-in' || action === 'zoom-out') {
          cy.zoom({ level: cy.zoom() * (action === 'zoom-in' ? 1.3 : 1 / 1.3),
                    renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
        } else if (action === 'clear') { cy.elements().unselect(); highlight(null); clearDetails(); }
        else if (action === 'png') {
          var a = document.createElement('a');
          a.href = cy.png({ full: true, scale: 2, bg: '#ffffff' });
          a.download = 'dossier-graph.png';
          document.body.appendChild(a); a.click(); a.remove();
        }
      });
    });
  }

  function draw() {
    var container = document.getElementById('cy');
    if (!container || typeof cytoscape !== 'function' || !data.hops.length) { markReady(); return; }
    var elements = Object.keys(data.nodes).map(function (id) { return nodeElement(data.nodes[id]); })
      .concat(data.hops.map(edgeElement));
    var cy = cytoscape({
      container: container, elements: elements, style: STYLE, minZoom: 0.05, maxZoom: 4,
      boxSelectionEnabled: false, selectionType: 'single'
    });
    api.cy = cy;
    cy.on('tap', 'node', function (ev) { highlight(ev.target.closedNeighborhood()); showNode(ev.target.id()); });
    cy.on('tap', 'edge', function (ev) { highlight(ev.target.union(ev.target.connectedNodes())); showHop(ev.target.data('hop')); });
    cy.on('tap', function (ev) { if (ev.target === cy) { highlight(null); clearDetails(); } });
    toolbar(cy);
    var layout = cy.layout({
      name: 'elk', fit: true, padding: 30, animate: false, nodeDimensionsIncludeLabels: false,
      nodeLayoutOptions: function (node) { return { 'elk.partitioning.partition': node.data('layer') }; },
      elk: {
        'algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.partitioning.activate': true,
        'elk.layered.spacing.nodeNodeBetweenLayers': 120, 'elk.spacing.nodeNode': 10,
        'elk.layered.spacing.edgeNodeBetweenLayers': 20,
        'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
        'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
        'elk.separateConnectedComponents': false
      },
      stop: function () { applyFilters(); firstView(cy); markReady(); }
    });
    layout.run();
  }

  // the whole graph when its labels stay readable (and not blown up); else readable, from the top left
  var READABLE = 0.6, LARGEST = 1.2;
  function firstView(cy) {
    cy.fit(cy.elements(), 30);
    var hint = document.querySelector('.toolbar .hint');
    if (cy.zoom() > LARGEST) {  // a small graph: natural size, in the middle
      cy.zoom(LARGEST);
      cy.center();
      return;
    }
    if (cy.zoom() >= READABLE) return;
    var box = cy.elements().boundingBox();
    cy.zoom(READABLE);
    cy.pan({ x: 30 - box.x1 * READABLE, y: 30 - box.y1 * READABLE });
    if (hint) hint.textContent = 'part of the graph shown: Fit shows it all · drag to pan · wheel to zoom · click a node or a hop';
  }

  function markReady() {
    api.ready = true;
    document.body.setAttribute('data-graph', api.cy ? 'ready' : 'none');
    document.dispatchEvent(new CustomEvent('dossier-ready'));
  }

  // -- wiring -----------------------------------------------------------------------------------------
  document.addEventListener('click', function (ev) {
    var t = ev.target.closest ? ev.target.closest('button.show-hop, button.show-route') : null;
    if (!t) return;
    if (t.classList.contains('show-hop')) selectHop(parseInt(t.getAttribute('data-hop'), 10), true);
    else showRoute(parseInt(t.getAttribute('data-route'), 10));
  });
  api.selectHop = selectHop;
  api.showRoute = showRoute;
  api.showNode = showNode;

  applyFilters();
  try { draw(); } catch (err) { api.errors.push(String(err)); markReady(); throw err; }
})();
