// The lineage views: the interactive lineage graph (tables and tasks, or columns), a project's table list and
// the table page. The graph is drawn with cytoscape and laid out in layers, left to right, by dagre; beside it
// the same nodes and edges are listed as tables of links, which is how the graph is used from the keyboard.
import { api, badge, formatTime, h, link, loadScript, loadStyle, navigate, notify, projectPath, query, route, state } from '../lib.js';

let libs = null;

// graphLibs loads cytoscape and its dagre layout on first use and registers the layout once.
function graphLibs() {
  if (!libs) {
    libs = (async () => {
      await loadScript('vendor/cytoscape.min.js');
      await loadScript('vendor/cytoscape-dagre.min.js');
      window.cytoscape.use(window.cytoscapeDagre);
      // cytoscape adds an inline <style> for its container unless an element with this id exists; the
      // Content-Security-Policy forbids inline styles, so lineage.css carries the rule and this stands in.
      if (!document.getElementById('__________cytoscape_stylesheet')) {
        document.head.append(h('meta', { id: '__________cytoscape_stylesheet', name: 'cytoscape-stylesheet', content: 'views/lineage.css' }));
      }
      return window.cytoscape;
    })();
  }
  return libs;
}

const enc = encodeURIComponent;

// tablePath is the table page of a table guid (odps.project.table or odps.project.schema.table).
function tablePath(guid) {
  const parts = guid.split('.');
  return projectPath('/tables/' + enc(parts.slice(2).join('.')), parts[1]);
}

// nodeHref is where a graph node leads: a table to its table page, a task to the file (and the version) it
// runs, a column to its table's page.
function nodeHref(n) {
  if (n.kind === 'table') return tablePath(n.id);
  if (n.kind === 'column') return tablePath(n.table);
  if (n.fileId) return projectPath('/files/' + n.fileId + query({ version: n.version }), n.project);
  return null;
}

function nodeName(n) {
  if (n.kind === 'task') return n.label;
  return n.project && n.project !== state.project?.name ? `${n.project}.${n.label}` : n.label;
}

const kindNames = { table: 'Table', task: 'Task', column: 'Column' };

// rootParam is the query parameter naming what a node expands from.
function rootParams(n) {
  if (n.kind === 'table') return { table: n.id };
  if (n.kind === 'column') return { column: n.id };
  return { node: n.id, env: n.env ? n.env.toLowerCase() : undefined };
}

// --- the graph page ------------------------------------------------------------------------------------------

let current = null; // the page's cytoscape instance, destroyed when the page is left

route('/projects/:project/lineage', async (args, params) => {
  loadStyle('views/lineage.css');
  if (current) { current.destroy(); current = null; window.sluiceGraph = undefined; }
  const opts = {
    table: params.get('table') || '', node: params.get('node') || '', column: params.get('column') || '',
    env: params.get('env') || '', direction: params.get('direction') || 'both',
    depth: params.get('depth') || '2', limit: params.get('limit') || '200', asOf: params.get('asOf') || '',
    version: params.get('version') || '',
  };
  if (!opts.table && !opts.node && !opts.column) return pickRoot(args.project);
  const isColumn = !!opts.column;
  const path = isColumn ? '/lineage/columns/graph' : '/lineage/graph';
  const [cytoscape, g] = await Promise.all([graphLibs(), api('GET', path + query({
    table: opts.table, node: opts.node, env: opts.env, column: opts.column, direction: opts.direction,
    depth: opts.depth, limit: opts.limit, asOf: isColumn ? opts.asOf : '', version: opts.node ? opts.version : '',
  }))]);
  return graphPage(args.project, opts, g, cytoscape);
});

// pickRoot is the page without a root: a box for a table guid, and the project's first tables.
async function pickRoot(project) {
  const page = await api('GET', `/projects/${enc(project)}/tables` + query({ limit: 50 }));
  const input = h('input', { id: 'lineage-root', type: 'search', name: 'table', required: true, list: 'lineage-tables',
    placeholder: `odps.${project}.table_name`, value: `odps.${project}.` });
  // The suggestions follow what is typed: the project's tables whose names start with it, asked of the server.
  const datalist = h('datalist', { id: 'lineage-tables' }, page.items.map((t) => h('option', { value: t.guid })));
  const own = `odps.${project}.`;
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const v = input.value.trim().toLowerCase();
    if (!v.startsWith(own)) return;
    timer = setTimeout(async () => {
      const more = await api('GET', `/projects/${enc(project)}/tables` + query({ prefix: v.slice(own.length), limit: 50 })).catch(() => null);
      if (more && input.value.trim().toLowerCase() === v) datalist.replaceChildren(...more.items.map((t) => h('option', { value: t.guid })));
    }, 200);
  });
  const form = h('form', { class: 'toolbar', role: 'search', onsubmit: (ev) => {
    ev.preventDefault();
    navigate(projectPath('/lineage' + query({ table: input.value.trim() }), project));
  } },
  h('label', {}, 'Table guid', input),
  datalist,
  h('button', { type: 'submit', class: 'primary' }, 'Show lineage'));
  return h('section', { class: 'lineage' },
    h('h1', {}, 'Lineage'),
    h('p', { class: 'muted' }, 'Choose a table to see what it is made from and what is made from it.'),
    form,
    page.items.length === 0 ? h('p', { class: 'muted' }, 'This project has no tables yet.')
      : h('ul', { class: 'lineage-pick' }, page.items.map((t) => h('li', {},
        link(projectPath('/lineage' + query({ table: t.guid }), project), t.name),
        t.comment ? h('span', { class: 'muted small' }, ' — ' + t.comment) : null))),
    page.nextMarker ? h('p', {}, link(projectPath('/tables', project), 'All tables…')) : null);
}

function graphPage(project, opts, g, cytoscape) {
  const isColumn = !!opts.column;
  const nodes = new Map(g.nodes.map((n) => [n.id, n]));
  const edges = new Map(g.edges.map((e) => [e.source + '\u0000' + e.target, e]));
  const files = new Map((g.files || []).map((f) => [f.id, f]));
  const expanded = new Set(g.roots);
  let truncated = g.truncated;

  const rootTask = opts.node ? nodes.get(opts.node) : null;
  const rootName = isColumn ? opts.column : opts.table || (rootTask ? `${rootTask.label} v${rootTask.version}` : `node ${opts.node}`);
  const banner = h('div', { class: 'truncated', role: 'status', id: 'lineage-truncated' });
  const depthNote = h('p', { class: 'muted small', id: 'lineage-depth-note' });
  const nodeList = h('tbody');
  const edgeList = h('tbody');
  const canvas = h('div', { class: 'graph lineage-canvas', id: 'lineage-canvas', tabindex: '0', role: 'application',
    'aria-label': 'Lineage graph. Arrow keys move between nodes, Enter expands the selected node, O opens it; the lists below hold the same nodes and edges.' });

  // The controls: a form whose submission is a navigation, so the address always says what is shown.
  const select = (id, label, value, choices) => h('label', {}, label,
    h('select', { id, name: id }, choices.map(([v, t]) => h('option', { value: v, selected: v === value }, t))));
  const depth = h('input', { id: 'lineage-depth', type: 'number', min: '1', max: '20', value: opts.depth, inputmode: 'numeric' });
  const limit = h('input', { id: 'lineage-limit', type: 'number', min: '1', max: '10000', value: opts.limit, inputmode: 'numeric' });
  const asOf = isColumn ? h('input', { id: 'lineage-asof', type: 'text', value: opts.asOf, placeholder: '2026-12-01T08:00:00Z', size: '22' }) : null;
  // A task starts from the tables a committed version of its file reads and writes: the one it runs, or another.
  const version = opts.node ? h('input', { id: 'lineage-version', type: 'number', min: '1', value: opts.version, placeholder: String(rootTask?.version || ''), inputmode: 'numeric' }) : null;
  const form = h('form', { class: 'toolbar', onsubmit: (ev) => {
    ev.preventDefault();
    navigate(projectPath('/lineage' + query({
      table: opts.table, node: opts.node, env: opts.env, column: opts.column,
      direction: form.querySelector('#lineage-direction').value, depth: depth.value, limit: limit.value, asOf: asOf?.value.trim(),
      version: version?.value,
    }), project));
  } },
  select('lineage-direction', 'Direction', opts.direction, [['both', 'Both'], ['up', 'Upstream'], ['down', 'Downstream']]),
  h('label', {}, 'Depth', depth),
  h('label', {}, 'Node limit', limit),
  asOf ? h('label', {}, 'As of (time)', asOf) : null,
  version ? h('label', {}, 'As of version', version) : null,
  h('button', { type: 'submit', class: 'primary', id: 'lineage-apply' }, 'Show'),
  h('button', { type: 'button', id: 'lineage-fit', onclick: () => cy?.fit(undefined, 30) }, 'Fit'),
  h('button', { type: 'button', id: 'lineage-relayout', onclick: () => layout() }, 'Re-layout'));

  const legend = h('p', { class: 'lineage-legend small' },
    isColumn ? [h('span', { class: 'key key-column' }), 'Column'] : [h('span', { class: 'key key-table' }), 'Table', h('span', { class: 'key key-task' }), 'Task'],
    h('span', { class: 'key key-root' }), 'Start',
    h('span', { class: 'key key-open' }), 'Not expanded yet',
    h('span', { class: 'muted' }, ' · double-click or Enter expands a node; click opens it'));

  const view = h('section', { class: 'lineage' },
    h('h1', {}, isColumn ? 'Column lineage' : 'Lineage', ' ', h('code', { class: 'lineage-root' }, rootName)),
    form,
    isColumn
      ? h('p', { class: 'muted small' }, g.asOf ? `As it stood at ${formatTime(g.asOf)} (each file's last version committed by then).` : 'Current versions. Give a time to see the lineage as it stood then.')
      : h('p', { class: 'muted small' }, opts.node
        ? `The tables version ${rootTask?.version ?? ''} of the task's file reads and writes, and their lineage through the tasks current versions run.`
        : 'Through the tasks current versions run. Table lineage is kept as it is now; column lineage can be seen as of a time.'),
    banner, depthNote, legend, canvas,
    h('div', { class: 'lineage-lists' },
      h('div', {}, h('h2', { id: 'lineage-nodes-title' }, 'Nodes'),
        h('table', { class: 'list', id: 'lineage-nodes', 'aria-labelledby': 'lineage-nodes-title' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Kind'), h('th', {}, 'Project'), h('th', {}, 'Depth'), h('th', {}, h('span', { class: 'sr-only' }, 'Actions')))),
          nodeList)),
      h('div', {}, h('h2', { id: 'lineage-edges-title' }, 'Edges'),
        h('table', { class: 'list', id: 'lineage-edges', 'aria-labelledby': 'lineage-edges-title' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Source'), h('th', { 'aria-hidden': 'true' }, ''), h('th', {}, 'Target'), isColumn ? h('th', {}, 'Kind') : null)),
          edgeList))));

  let cy = null;

  function nodeLink(n) {
    const href = nodeHref(n);
    return href ? h('a', { href, dataset: { node: n.id } }, nodeName(n)) : h('span', {}, nodeName(n));
  }

  function showStatus() {
    banner.hidden = !truncated;
    banner.textContent = truncated ? `The graph was cut at the node limit: some lineage is not shown. Raise the limit or expand a node.` : '';
    depthNote.textContent = g.depthLimited ? 'Lineage goes on beyond this depth: raise the depth or expand the nodes at the edge.' : '';
  }

  function renderLists() {
    const byId = (a, b) => (a.depth - b.depth) || nodeName(a).localeCompare(nodeName(b));
    nodeList.replaceChildren(...[...nodes.values()].sort(byId).map((n) => h('tr', { dataset: { id: n.id, kind: n.kind }, class: n.root ? 'root' : null },
      h('td', {}, nodeLink(n), n.root ? [' ', badge('start', 'info')] : null),
      h('td', {}, kindNames[n.kind] || n.kind),
      h('td', {}, n.project || ''),
      h('td', {}, String(n.depth)),
      h('td', {}, expanded.has(n.id) ? h('span', { class: 'muted small' }, 'expanded')
        : h('button', { type: 'button', class: 'small', dataset: { expand: n.id }, onclick: () => expand(n.id) }, 'Expand', h('span', { class: 'sr-only' }, ' ' + nodeName(n)))))));
    edgeList.replaceChildren(...[...edges.values()].map((e) => {
      const s = nodes.get(e.source), t = nodes.get(e.target);
      return h('tr', { dataset: { source: e.source, target: e.target } },
        h('td', {}, nodeLink(s)), h('td', { 'aria-hidden': 'true' }, '→'), h('td', {}, nodeLink(t)),
        isColumn ? h('td', {}, e.kind || '', fileNames(e)) : null);
    }));
  }

  function fileNames(e) {
    const fs = (e.files || []).map((id) => files.get(id)).filter(Boolean);
    if (!fs.length) return null;
    return h('span', { class: 'small' }, ' by ', fs.map((f, i) => [i ? ', ' : '',
      link(projectPath('/files/' + f.id + query({ version: f.version }), f.project), `${f.name} v${f.version}`)]));
  }

  function elements() {
    return [
      ...[...nodes.values()].map((n) => ({ group: 'nodes', data: { id: n.id, label: nodeName(n) }, classes: [n.kind, n.root ? 'root' : '', expanded.has(n.id) ? '' : 'open'].join(' ') })),
      ...[...edges.values()].map((e) => ({ group: 'edges', data: { id: e.source + '>' + e.target, source: e.source, target: e.target } })),
    ];
  }

  // layout lays the graph out in layers along the data flow: left to right, or top to bottom in a window too
  // narrow for the layers side by side. Fitting is kept within readable zooms; the rest is a pan away.
  function layout() {
    if (!cy) return;
    const narrow = canvas.clientWidth < 560;
    cy.layout({ name: 'dagre', rankDir: narrow ? 'TB' : 'LR', nodeSep: narrow ? 16 : 24, rankSep: narrow ? 40 : 70, edgeSep: 10, fit: true, padding: 30, animate: false }).run();
    if (cy.zoom() > 1.2) { // a small graph: no bigger than life, in the middle
      cy.zoom(1.2);
      cy.center(cy.nodes());
    } else if (cy.zoom() < 0.6) { // a big one: readable, around the start
      cy.zoom(0.6);
      const root = cy.nodes('.root');
      cy.center(root.nonempty() ? root : cy.nodes());
    }
  }

  // expand fetches a node's neighbours (one hop each way) and merges them in.
  async function expand(id) {
    const n = nodes.get(id);
    if (!n || expanded.has(id)) return;
    try {
      const more = await api('GET', (isColumn ? '/lineage/columns/graph' : '/lineage/graph') + query({
        ...rootParams(n), direction: opts.direction, depth: 1, limit: opts.limit, asOf: isColumn ? opts.asOf : '',
      }));
      expanded.add(id);
      let added = 0;
      for (const m of more.nodes) {
        if (!nodes.has(m.id)) {
          nodes.set(m.id, { ...m, root: false, depth: n.depth + m.depth });
          added++;
        }
      }
      for (const e of more.edges) edges.set(e.source + '\u0000' + e.target, e);
      for (const f of more.files || []) files.set(f.id, f);
      truncated = truncated || more.truncated;
      if (cy) {
        const have = new Set(cy.elements().map((el) => el.id()));
        cy.add(elements().filter((el) => !have.has(el.data.id)));
        cy.getElementById(id).removeClass('open');
        layout();
      }
      showStatus();
      renderLists();
      notify(added ? `Expanded ${nodeName(n)}: ${added} new ${added === 1 ? 'node' : 'nodes'}.` : `${nodeName(n)} has no more lineage to show.`);
    } catch (e) {
      notify(e.message, 'bad');
    }
  }

  function open(id) {
    const n = nodes.get(id);
    const href = n && nodeHref(n);
    if (href) navigate(href);
  }

  function init() {
    if (!canvas.isConnected || cy) return;
    cy = cytoscape({
      container: canvas,
      elements: elements(),
      wheelSensitivity: 0.3,
      minZoom: 0.1,
      maxZoom: 3,
      boxSelectionEnabled: false,
      style: [
        { selector: 'node', style: { label: 'data(label)', 'font-size': 11, 'text-valign': 'center', 'text-halign': 'center', 'text-wrap': 'ellipsis', 'text-max-width': 120, width: 130, height: 30, color: '#1d2330', 'border-width': 1 } },
        { selector: 'node.table', style: { shape: 'round-rectangle', 'background-color': '#dbeafe', 'border-color': '#2563eb' } },
        { selector: 'node.column', style: { shape: 'round-rectangle', 'background-color': '#dcfce7', 'border-color': '#15803d' } },
        { selector: 'node.task', style: { shape: 'round-hexagon', 'background-color': '#fef3c7', 'border-color': '#b45309', width: 110, height: 26 } },
        { selector: 'node.open', style: { 'border-style': 'dashed' } },
        { selector: 'node.root', style: { 'border-width': 3, 'font-weight': 'bold' } },
        { selector: 'node:selected', style: { 'border-color': '#111827', 'border-width': 3, 'overlay-opacity': 0.08 } },
        { selector: 'edge', style: { width: 1.5, 'line-color': '#94a3b8', 'target-arrow-color': '#94a3b8', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier' } },
      ],
    });
    current = cy;
    window.sluiceGraph = cy; // for tests: the drawn graph
    layout();
    // A click opens a node after a moment, unless it turns out to be a double-click, which expands it.
    let pending = null;
    cy.on('tap', 'node', (ev) => {
      clearTimeout(pending);
      const id = ev.target.id();
      pending = setTimeout(() => open(id), 300);
    });
    cy.on('dbltap', 'node', (ev) => {
      clearTimeout(pending);
      expand(ev.target.id());
    });
    canvas.addEventListener('keydown', onKey);
  }

  // Keyboard on the canvas: arrows walk along the edges (or to any node first), Enter expands, O opens.
  function onKey(ev) {
    if (!cy) return;
    let sel = cy.$('node:selected').first();
    const pick = (n) => { if (n && n.nonempty()) { cy.nodes().unselect(); n.select(); cy.center(n); } };
    if (['ArrowRight', 'ArrowLeft', 'ArrowUp', 'ArrowDown'].includes(ev.key)) {
      ev.preventDefault();
      if (sel.empty()) return pick(cy.nodes('.root').first().nonempty() ? cy.nodes('.root').first() : cy.nodes().first());
      if (ev.key === 'ArrowRight') return pick(sel.outgoers('node').first());
      if (ev.key === 'ArrowLeft') return pick(sel.incomers('node').first());
      // Up and down move between the nodes of the same layer, by position.
      const x = sel.position('x');
      const same = cy.nodes().filter((n) => Math.abs(n.position('x') - x) < 1).sort((a, b) => a.position('y') - b.position('y'));
      const i = same.indexOf(sel) + (ev.key === 'ArrowDown' ? 1 : -1);
      return pick(same[i] ? same.eq(i) : null);
    }
    if (sel.empty()) return;
    if (ev.key === 'Enter') { ev.preventDefault(); expand(sel.id()); }
    if (ev.key === 'o' || ev.key === 'O') { ev.preventDefault(); open(sel.id()); }
  }

  showStatus();
  renderLists();
  // The canvas needs its place on the page before cytoscape can measure it.
  document.addEventListener('sluice:rendered', init, { once: true });
  return view;
}

// --- tables ----------------------------------------------------------------------------------------------------

route('/projects/:project/tables', async (args, params) => {
  loadStyle('views/lineage.css');
  const prefix = params.get('prefix') || '';
  const marker = params.get('marker') || '';
  const page = await api('GET', `/projects/${enc(args.project)}/tables` + query({ prefix, marker, limit: 100 }));
  const filter = h('input', { id: 'tables-prefix', type: 'search', name: 'prefix', value: prefix, placeholder: 'Name prefix' });
  return h('section', { class: 'tables' },
    h('h1', {}, 'Tables'),
    h('form', { class: 'toolbar', role: 'search', onsubmit: (ev) => {
      ev.preventDefault();
      navigate(projectPath('/tables' + query({ prefix: filter.value.trim() }), args.project));
    } }, h('label', {}, 'Filter by name prefix', filter), h('button', { type: 'submit' }, 'Filter')),
    page.items.length === 0 ? h('p', { class: 'muted' }, prefix ? 'No table name starts with that.' : 'This project has no tables yet.')
      : h('table', { class: 'list', id: 'tables-list' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Comment'), h('th', {}, 'Lineage'), h('th', {}, 'Kind'), h('th', {}, 'Columns'), h('th', {}, 'Label'), h('th', {}, 'Last DDL'))),
        h('tbody', {}, page.items.map((t) => h('tr', {},
          h('td', {}, link(projectPath('/tables/' + enc(args2name(t)), args.project), t.name)),
          h('td', {}, t.comment),
          h('td', {}, link(projectPath('/lineage' + query({ table: t.guid }), args.project), 'Graph', h('span', { class: 'sr-only' }, ' of ' + t.name))),
          h('td', {}, t.described ? t.kind : badge('from lineage', 'info')),
          h('td', {}, String(t.columns)),
          h('td', {}, t.label ? badge('L' + t.label, 'warn') : ''),
          h('td', {}, t.described ? formatTime(t.updatedAt) : ''))))),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      marker ? link(projectPath('/tables' + query({ prefix }), args.project), '« First page') : null,
      page.nextMarker ? link(projectPath('/tables' + query({ prefix, marker: page.nextMarker }), args.project), 'Next page ›') : null));
});

function labelCell(c) {
  if (c.labelIncomplete) return h('td', {}, badge('L' + c.effectiveLabel, 'bad'), h('span', { class: 'small muted' }, ' lineage upstream too large to follow'));
  const b = c.effectiveLabel ? badge('L' + c.effectiveLabel, c.effectiveLabel >= 3 ? 'bad' : 'warn') : h('span', { class: 'muted' }, '0');
  return h('td', {}, b, c.labelSource ? h('span', { class: 'small' }, ' from ', link(tablePath(c.labelSource.split('.').slice(0, -1).join('.')), c.labelSource.split('.').slice(2).join('.'))) : null);
}

// neighboursButton shows, under a column's row, the columns its value comes from and those made from it
// (the first page each way; the column graph has the rest).
function neighboursButton(project, t, c) {
  const btn = h('button', { type: 'button', class: 'small', 'aria-expanded': 'false', dataset: { neighbours: c.name } }, 'List', h('span', { class: 'sr-only' }, ' the lineage of ' + c.name));
  let shown = null;
  btn.addEventListener('click', async () => {
    if (shown) {
      shown.remove();
      shown = null;
      btn.setAttribute('aria-expanded', 'false');
      return;
    }
    const row = btn.closest('tr');
    try {
      const l = await api('GET', `/projects/${enc(project)}/tables/${enc(args2name(t))}/columns/${enc(c.name)}/lineage` + query({ limit: 50 }));
      const side = (title, page) => h('div', {}, h('h3', { class: 'small' }, `${title} (${page.totalCount})`),
        page.items.length === 0 ? h('p', { class: 'muted small' }, 'None.')
          : h('ul', { class: 'small' }, page.items.map((n) => h('li', {},
            link(tablePath(n.guid.split('.').slice(0, -1).join('.')), n.guid.split('.').slice(2).join('.')), ' ', h('span', { class: 'muted' }, n.kind)))),
        page.totalCount > page.items.length ? h('p', { class: 'small' }, link(projectPath('/lineage' + query({ column: l.column }), project), 'All in the graph…')) : null);
      shown = h('tr', { class: 'column-neighbours', dataset: { neighboursOf: c.name } },
        h('td', { colspan: '6' }, h('div', { class: 'row' }, side('Made from', l.up), side('Used to make', l.down))));
      row.after(shown);
      btn.setAttribute('aria-expanded', 'true');
    } catch (e) {
      notify(e.message, 'bad');
    }
  });
  return btn;
}

// args2name is a table's {table} path value: its name, with its schema in a three-layer project.
function args2name(t) {
  return t.schema && t.schema !== 'default' ? `${t.schema}.${t.name}` : t.name;
}

route('/projects/:project/tables/:table', async (args) => {
  loadStyle('views/lineage.css');
  const t = await api('GET', `/projects/${enc(args.project)}/tables/${enc(args.table)}`);
  const colGraph = (c) => projectPath('/lineage' + query({ column: t.guid + '.' + c.name }), args.project);
  const columnRows = (cols, partition) => cols.map((c) => h('tr', { dataset: { column: c.name } },
    h('td', {}, h('code', {}, c.name)), h('td', {}, c.type), h('td', {}, c.comment),
    partition ? h('td', {}, '') : h('td', {}, c.label ? badge('L' + c.label, 'warn') : h('span', { class: 'muted' }, '0')),
    partition ? h('td', {}, '') : labelCell(c),
    h('td', {}, c.relations ? [link(colGraph(c), `${c.relations} `, c.relations === 1 ? 'relation' : 'relations', h('span', { class: 'sr-only' }, ' of ' + c.name)),
      ' ', neighboursButton(args.project, t, c)]
      : h('span', { class: 'muted' }, 'none'))));
  return h('section', { class: 'table-page' },
    h('p', { class: 'small' }, link(projectPath('/tables', args.project), '‹ Tables')),
    h('h1', {}, t.name, ' ', t.described ? null : badge('known from lineage only', 'info')),
    h('p', {}, h('code', {}, t.guid), ' · ', link(projectPath('/lineage' + query({ table: t.guid }), args.project), 'Lineage graph')),
    t.comment ? h('p', {}, t.comment) : null,
    h('dl', { class: 'props' },
      h('dt', {}, 'Kind'), h('dd', {}, t.kind || 'table'),
      h('dt', {}, 'Owner'), h('dd', {}, t.owner || '—'),
      h('dt', {}, 'Table label'), h('dd', {}, String(t.label)),
      h('dt', {}, 'Lifecycle'), h('dd', {}, t.lifecycle ? `${t.lifecycle} days` : 'kept for ever'),
      h('dt', {}, 'Last DDL'), h('dd', {}, t.described ? formatTime(t.updatedAt) : '—')),
    h('h2', {}, 'Produced by'),
    t.producingTasks.length === 0 ? h('p', { class: 'muted', id: 'producing-none' }, t.lineage ? 'No task you can see writes this table.' : 'No committed script you can see names this table.')
      : h('table', { class: 'list', id: 'producing-tasks' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Task'), h('th', {}, 'Node id'), h('th', {}, 'Project'), h('th', {}, 'Lineage'))),
        h('tbody', {}, t.producingTasks.map((p) => h('tr', {},
          h('td', {}, link(projectPath('/files/' + p.fileId + query({ version: p.version }), p.project), p.name), h('span', { class: 'muted small' }, ` v${p.version}`)),
          h('td', {}, String(p.nodeId)), h('td', {}, p.project),
          h('td', {}, link(projectPath('/lineage' + query({ node: p.nodeId }), p.project), 'Graph', h('span', { class: 'sr-only' }, ' of ' + p.name))))))),
    h('h2', {}, 'Columns'),
    t.columns.length === 0 ? h('p', { class: 'muted' }, 'No DDL has described this table: its columns are not known.')
      : h('table', { class: 'list', id: 'table-columns' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Type'), h('th', {}, 'Comment'), h('th', {}, 'Label'), h('th', {}, 'Effective label'), h('th', {}, 'Column lineage'))),
        h('tbody', {}, columnRows(t.columns, false))),
    t.partitionColumns.length ? [h('h2', {}, 'Partition columns'), h('table', { class: 'list', id: 'table-partitions' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Column'), h('th', {}, 'Type'), h('th', {}, 'Comment'), h('th', {}, ''), h('th', {}, ''), h('th', {}, 'Column lineage'))),
      h('tbody', {}, columnRows(t.partitionColumns, true)))] : null,
    t.viewText ? [h('h2', {}, 'View text'), h('pre', { class: 'panel' }, t.viewText)] : null);
});

