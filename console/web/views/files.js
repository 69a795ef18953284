// The files views: a project's scripts as DataStudio shows them — the folder tree with the files of a folder
// or a name search, one file in a code editor with its schedule, nodes and commit and deploy state, and its
// versions side by side. Lists are paged on the server; the tree loads a folder's children when it opens.
import {
  api, badge, errorBox, formatTime, h, link, loadScript, loadStyle, navigate, notify, pager, projectPath, query,
  route, state,
} from '../lib.js';

const pageSize = 50;
const treePage = 200;

// --- the tree and the file list --------------------------------------------------------------------------------

// The tree survives navigation between folders of one project, so that what the user opened stays open.
let tree = null; // {project, el, nodes: Map(path -> {li, children, loaded})}

route('/projects/:project/files', async (args, params) => {
  loadStyle('views/files.css');
  const folder = params.get('folder');
  const q = params.get('q') || '';
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const go = (p) => navigate(projectPath('/files') + query(p));

  const base = '/projects/' + encodeURIComponent(args.project);
  const page = await api('GET', base + '/files' + query({
    folder: q ? undefined : (folder ?? undefined), keyword: q, offset, limit: pageSize,
  }));

  const t = await folderTree(args.project);
  markSelected(t, q ? null : (folder ?? ''));
  if (folder) reveal(t, folder);

  const search = h('input', { type: 'search', name: 'q', id: 'files-search', value: q, placeholder: '名称 / name contains…' });
  const form = h('form', {
    class: 'toolbar', role: 'search',
    onsubmit: (ev) => { ev.preventDefault(); go({ q: search.value.trim() || undefined, folder: search.value.trim() ? undefined : folder ?? undefined }); },
  }, h('label', { for: 'files-search' }, 'Search file names', search), h('button', { type: 'submit' }, 'Search'),
  q ? h('button', { type: 'button', onclick: () => go({ folder: folder ?? undefined }) }, 'Clear') : null);

  let title;
  if (q) title = ['Files whose name contains ', h('q', {}, q)];
  else if (folder === '/' || folder === '') title = 'Files at the project root';
  else if (folder) title = ['Files in ', h('span', { class: 'mono' }, folder)];
  else title = 'All files';

  return h('section', { class: 'files-page' },
    h('h1', {}, 'Files'),
    h('div', { class: 'files-layout' },
      h('nav', { class: 'files-tree panel', 'aria-label': 'Folders' }, t.el),
      h('div', { class: 'files-main' },
        form,
        h('h2', { id: 'files-title' }, title),
        fileTable(page.items, !!q || !folder),
        pager(offset, pageSize, page.totalCount, (o) => go({ folder: q ? undefined : folder ?? undefined, q: q || undefined, offset: o || undefined })))));
});

function fileTable(items, showFolder) {
  if (!items.length) return h('p', { class: 'muted', id: 'files-empty' }, showFolder ? 'No files match.' : 'No files directly in this folder: open it in the tree to see its sub-folders.');
  return h('table', { class: 'list files-list' },
    h('thead', {}, h('tr', {},
      h('th', {}, 'Name'), h('th', {}, 'Type'), h('th', {}, 'State'), showFolder ? h('th', {}, 'Folder') : null,
      h('th', {}, 'Owner'), h('th', {}, 'Updated'))),
    h('tbody', {}, items.map((f) => h('tr', {},
      h('td', {}, link(projectPath('/files/' + f.id), f.name)),
      h('td', {}, f.typeName),
      h('td', {}, commitBadge(f)),
      showFolder ? h('td', { class: 'small mono' }, f.folderPath || '/') : null,
      h('td', {}, f.ownerName || f.owner),
      h('td', { class: 'small' }, formatTime(f.updatedAt))))));
}

// folderTree returns the project's tree, building its top level (all files, the root, the workflows) once.
async function folderTree(project) {
  if (tree && tree.project === project) return tree;
  const t = { project, nodes: new Map(), el: h('ul', { class: 'tree files-tree-root' }) };
  t.el.append(
    treeLeaf(t, '', 'All files'),
    treeLeaf(t, '/', 'Project root'));
  await loadChildren(t, '', t.el, 0); // the workflows, straight under the tree's root
  tree = t;
  return t;
}

// treeLeaf is an entry without children: a link that selects what it names.
function treeLeaf(t, path, label) {
  const a = h('a', { href: projectPath('/files', t.project) + query({ folder: path || undefined }), class: 'tree-label', dataset: { path } }, label);
  return h('li', { class: 'tree-leaf' }, h('span', { class: 'tree-spacer', 'aria-hidden': 'true' }), a);
}

// treeFolder is a workflow or folder: a button that opens or closes it (loading its children the first time)
// and a link that shows its files.
function treeFolder(t, item) {
  const children = h('ul', { class: 'tree', hidden: true });
  const toggle = h('button', {
    type: 'button', class: 'tree-toggle', 'aria-expanded': 'false', 'aria-label': (item.kind === 'workflow' ? 'Open workflow ' : 'Open folder ') + item.name,
  }, '▸');
  const a = h('a', { href: projectPath('/files', t.project) + query({ folder: item.path }), class: 'tree-label', dataset: { path: item.path }, title: item.path },
    item.kind === 'workflow' ? h('span', { class: 'tree-icon', 'aria-hidden': 'true' }, '◆ ') : null, item.name);
  const li = h('li', { class: 'tree-folder' }, toggle, a, children);
  const node = { li, toggle, children, loaded: false, item };
  node.open = async (open = true) => {
    if (open && !node.loaded) {
      node.loaded = true;
      try {
        await loadChildren(t, item.path, children, 0);
      } catch (e) {
        node.loaded = false;
        children.replaceChildren(h('li', {}, errorBox(e)));
      }
    }
    children.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? '▾' : '▸';
    toggle.setAttribute('aria-label', (open ? 'Close ' : 'Open ') + (item.kind === 'workflow' ? 'workflow ' : 'folder ') + item.name);
  };
  toggle.addEventListener('click', () => node.open(children.hidden));
  t.nodes.set(key(item.path), node);
  return li;
}

// loadChildren appends a page of parent's children to list, with a button for the next page.
async function loadChildren(t, parent, list, offset) {
  const page = await api('GET', '/projects/' + encodeURIComponent(t.project) + '/folders' + query({ parent, offset, limit: treePage }));
  list.querySelector(':scope > .tree-more')?.remove();
  for (const item of page.items) list.append(treeFolder(t, item));
  if (!page.items.length && offset === 0 && parent) list.append(h('li', { class: 'muted small' }, 'No folders.'));
  const next = offset + page.items.length;
  if (next < page.totalCount) {
    const more = h('li', { class: 'tree-more' }, h('button', {
      type: 'button', class: 'small',
      onclick: () => loadChildren(t, parent, list, next).catch((e) => notify(e.message, 'bad')),
    }, `More… (${page.totalCount - next} more)`));
    list.append(more);
  }
}

// key is a folder path without its root segment: every spelling of the root names the same folder.
function key(path) {
  const i = path.indexOf('/');
  return i < 0 ? '' : path.slice(i + 1).replace(/\/+$/, '');
}

function markSelected(t, folder) {
  for (const a of t.el.querySelectorAll('a.tree-label')) {
    const here = folder !== null && (a.dataset.path === folder || (a.dataset.path.includes('/') && folder.includes('/') && key(a.dataset.path) === key(folder)));
    if (here) a.setAttribute('aria-current', 'true');
    else a.removeAttribute('aria-current');
  }
}

// reveal opens the folders above path, so that a folder chosen by its address shows in the tree.
async function reveal(t, path) {
  const segs = key(path).split('/').filter(Boolean);
  for (let i = 1; i < segs.length; i++) {
    const node = t.nodes.get(segs.slice(0, i).join('/'));
    if (!node) return; // beyond the first page of its parent
    try {
      await node.open(true);
    } catch {
      return;
    }
  }
  markSelected(t, path);
}

// --- one file ------------------------------------------------------------------------------------------------

function commitBadge(f) {
  if (!f.currentVersion) return badge('Never committed', 'warn');
  if (f.commitStatus !== 1) return badge(`Changed since v${f.currentVersion}`, 'warn');
  return badge(`Committed v${f.currentVersion}`, 'ok');
}

function deployBadge(f) {
  if (!f.state.deployed) return badge('Not deployed', 'info');
  if (!f.state.prodUpToDate) return badge(`Production runs v${f.state.prodVersion}`, 'warn');
  return badge(`Deployed v${f.state.prodVersion}`, 'ok');
}

const modes = {
  sql: ['vendor/codemirror-sql.js', 'text/x-sql'],
  shell: ['vendor/codemirror-shell.js', 'shell'],
  python: ['vendor/codemirror-python.js', 'python'],
};

// editor loads CodeMirror and the mode of language, and turns textarea into an editor.
async function editor(textarea, language, readOnly) {
  loadStyle('vendor/codemirror.css');
  await loadScript('vendor/codemirror.js');
  const mode = modes[language];
  if (mode) await loadScript(mode[0]);
  return window.CodeMirror.fromTextArea(textarea, {
    mode: mode ? mode[1] : null, lineNumbers: true, readOnly, lineWrapping: false, indentUnit: 4,
    extraKeys: { Tab: false, 'Shift-Tab': false }, // Tab leaves the editor, so the keyboard can move on
    screenReaderLabel: 'Code',
  });
}

route('/projects/:project/files/:id', async (args) => {
  loadStyle('views/files.css');
  const base = '/projects/' + encodeURIComponent(args.project) + '/files/' + encodeURIComponent(args.id);
  let f = await api('GET', base);
  const canWrite = !!state.project?.can?.write;

  const textarea = h('textarea', { id: 'file-content', 'aria-label': 'Code of ' + f.name });
  textarea.value = f.content;
  const head = h('div', {});
  const details = h('div', {});
  const dirty = h('span', { class: 'muted small', id: 'file-dirty', role: 'status' });
  let cm = null;
  let saved = f.content;

  const busy = (fn) => async (ev) => {
    const b = ev?.currentTarget;
    if (b) b.disabled = true;
    try {
      await fn();
    } catch (e) {
      notify(e.message, 'bad');
    } finally {
      if (b) b.disabled = false;
    }
  };
  const show = (file) => {
    f = file;
    head.replaceChildren(header(args.project, f));
    details.replaceChildren(fileDetails(f));
    dirty.textContent = '';
  };
  const save = async () => {
    const content = cm ? cm.getValue() : textarea.value;
    if (content === saved) return;
    show(await api('PUT', base, { content }));
    saved = content;
  };
  const commit = async () => {
    const comment = await askComment('Commit ' + f.name, 'The draft becomes a new version and the DEV node runs it.', 'Commit');
    if (comment === null) return;
    await save();
    const res = await api('POST', base + '/commit', { comment });
    show(res.file);
    notify(`Committed version ${res.file.currentVersion}.`, 'ok');
  };
  const deploy = async () => {
    const comment = await askComment('Deploy ' + f.name, `Version ${f.currentVersion} goes to production.`, 'Deploy');
    if (comment === null) return;
    const res = await api('POST', base + '/deploy', { comment });
    show(res.file);
    notify(`Deployed version ${res.file.state.prodVersion} to production.`, 'ok');
  };

  const tools = canWrite
    ? h('div', { class: 'toolbar files-actions' },
      h('button', { type: 'button', class: 'primary', id: 'file-save', onclick: busy(async () => { await save(); notify('Saved.', 'ok'); }) }, 'Save'),
      h('button', { type: 'button', id: 'file-commit', onclick: busy(commit) }, 'Commit…'),
      h('button', { type: 'button', id: 'file-deploy', onclick: busy(deploy) }, 'Deploy…'),
      dirty)
    : h('p', { class: 'muted small', id: 'file-readonly' }, 'Read only: you may view this file but not change it.');

  show(f);
  const view = h('section', { class: 'file-page' }, head, tools,
    h('div', { class: 'file-code' }, textarea),
    details);
  // CodeMirror measures its container, so it starts once the router has put the view in the page.
  setTimeout(async () => {
    if (!textarea.isConnected) return; // another page was chosen meanwhile
    try {
      cm = await editor(textarea, f.language, !canWrite);
      cm.on('change', () => { dirty.textContent = cm.getValue() === saved ? '' : 'Unsaved changes'; });
      // Closing or reloading the page with unsaved changes asks first.
      const guard = (ev) => {
        if (!textarea.isConnected) window.removeEventListener('beforeunload', guard);
        else if (cm.getValue() !== saved) ev.preventDefault();
      };
      if (canWrite) window.addEventListener('beforeunload', guard);
      cm.refresh();
    } catch (e) {
      notify(e.message, 'bad');
    }
  }, 0);
  return view;
});

function header(project, f) {
  const folder = f.folderPath || '/';
  return h('div', { class: 'file-head' },
    h('p', { class: 'small' }, link(projectPath('/files', project) + query({ folder: f.folderPath || '/' }), folder)),
    h('h1', { id: 'file-name' }, f.name),
    h('div', { class: 'file-badges' },
      badge(f.typeName, 'info'), ' ', h('span', { id: 'file-commit-state' }, commitBadge(f)), ' ', h('span', { id: 'file-deploy-state' }, deployBadge(f))),
    h('nav', { class: 'file-links', 'aria-label': 'About this file' },
      link(projectPath(`/files/${f.id}/versions`, project), 'Versions'),
      f.nodeId ? link(projectPath('/lineage', project) + query({ node: f.nodeId }), 'Lineage') : null));
}

function fileDetails(f) {
  const sc = f.schedule;
  const row = (k, v) => (v === '' || v === null || v === undefined ? null : [h('dt', {}, k), h('dd', {}, v)]);
  const node = (n) => (n ? `${n.id} · v${n.fileVersion}${n.schedulerType ? ' · ' + n.schedulerType : ''}` : 'None');
  const ios = (list) => (list.length ? list.map((io) => io.refTable || io.name).join(', ') : null);
  return h('div', { class: 'row file-details' },
    h('div', { class: 'panel grow' }, h('h2', {}, 'File'), h('dl', { class: 'props' },
      row('Path', f.folderPath || '/'), row('Type', `${f.typeName} (${f.type})`), row('Owner', f.ownerName || f.owner),
      row('Last edited by', f.lastEditUserName || f.lastEditUser), row('Updated', formatTime(f.updatedAt)),
      row('Created', formatTime(f.createdAt)), row('Use', f.useType), row('Description', f.description),
      row('DEV node', node(f.devNode)), row('PROD node', node(f.prodNode)))),
    h('div', { class: 'panel grow' }, h('h2', {}, 'Schedule'), h('dl', { class: 'props', id: 'file-schedule' },
      row('Cron', sc.cronExpress ? h('code', {}, sc.cronExpress) : null), row('Cycle', sc.cycleType),
      row('Scheduler', sc.schedulerType), row('Rerun', sc.rerunMode),
      row('Auto rerun', sc.autoRerunTimes ? `${sc.autoRerunTimes} × every ${Math.round(sc.autoRerunIntervalMillis / 1000)} s` : null),
      row('Timeout', sc.timeout ? `${sc.timeout} h` : null),
      row('Resource group', sc.resourceGroupIdentifier || (sc.resourceGroupId ? String(sc.resourceGroupId) : null)),
      row('Depends on', sc.dependentType ? `${sc.dependentType}${sc.dependentNodeIdList ? ': ' + sc.dependentNodeIdList : ''}` : null),
      row('Parameters', sc.paraValue), row('Effective', sc.startEffectDate ? `${formatTime(sc.startEffectDate)} – ${formatTime(sc.endEffectDate)}` : null),
      row('Inputs', ios(sc.inputs)), row('Outputs', ios(sc.outputs)), row('Paused', sc.stop ? 'Yes' : null))));
}

// askComment asks for a commit or deploy comment in a modal dialog; it resolves to the comment, or null when
// the user cancels.
function askComment(title, text, action) {
  return new Promise((resolve) => {
    const input = h('input', { type: 'text', id: 'comment-input', maxlength: '1000', required: true, autocomplete: 'off' });
    const dialog = h('dialog', { class: 'files-dialog', 'aria-labelledby': 'comment-title' });
    const done = (v) => { dialog.close(); dialog.remove(); resolve(v); };
    dialog.addEventListener('cancel', (ev) => { ev.preventDefault(); done(null); });
    dialog.append(h('form', {
      method: 'dialog', onsubmit: (ev) => { ev.preventDefault(); done(input.value.trim()); },
    },
    h('h2', { id: 'comment-title' }, title), h('p', { class: 'muted' }, text),
    h('label', { for: 'comment-input' }, 'Comment', input),
    h('div', { class: 'toolbar' },
      h('button', { type: 'submit', class: 'primary', id: 'comment-ok' }, action),
      h('button', { type: 'button', onclick: () => done(null) }, 'Cancel'))));
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
}

// --- versions --------------------------------------------------------------------------------------------------

route('/projects/:project/files/:id/versions', async (args, params) => {
  loadStyle('views/files.css');
  const base = '/projects/' + encodeURIComponent(args.project) + '/files/' + encodeURIComponent(args.id);
  const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
  const [f, page] = await Promise.all([api('GET', base), api('GET', base + '/versions' + query({ offset, limit: pageSize }))]);
  const latest = f.currentVersion;
  let from = parseInt(params.get('from') || '', 10) || (latest > 1 ? latest - 1 : 0);
  let to = parseInt(params.get('to') || '', 10) || latest;
  const here = (p) => projectPath(`/files/${f.id}/versions`, args.project) + query(p);

  const pick = (name, v) => h('input', {
    type: 'radio', name, value: String(v), checked: (name === 'from' ? from : to) === v, 'aria-label': `${name === 'from' ? 'Compare from' : 'Compare to'} version ${v}`,
    onchange: () => { if (name === 'from') from = v; else to = v; },
  });
  const table = page.items.length === 0
    ? h('p', { class: 'muted' }, 'No versions yet: commit the file to make one.')
    : h('table', { class: 'list files-versions' },
      h('thead', {}, h('tr', {}, h('th', {}, 'From'), h('th', {}, 'To'), h('th', {}, 'Version'), h('th', {}, 'Change'),
        h('th', {}, 'Comment'), h('th', {}, 'Committer'), h('th', {}, 'Time'))),
      h('tbody', {}, page.items.map((v) => h('tr', {},
        h('td', {}, pick('from', v.version)), h('td', {}, pick('to', v.version)),
        h('td', {}, `v${v.version} `, v.isCurrentProd ? badge('PROD', 'ok') : null),
        h('td', {}, v.changeType, ' ', h('span', { class: 'muted small' }, v.status)),
        h('td', {}, v.comment), h('td', {}, v.committerName || v.committer), h('td', { class: 'small' }, formatTime(v.commitTime))))));

  const diff = h('div', { class: 'files-diff', id: 'files-diff' });
  const view = h('section', { class: 'versions-page' },
    h('p', { class: 'small' }, link(projectPath('/files/' + f.id, args.project), '‹ ' + f.name)),
    h('h1', {}, 'Versions of ', h('span', { id: 'file-name' }, f.name)),
    h('form', {
      class: 'toolbar', onsubmit: (ev) => { ev.preventDefault(); navigate(here({ from, to, offset: offset || undefined })); },
    }, table, h('button', { type: 'submit', class: 'primary', id: 'versions-compare', disabled: page.items.length < 2 }, 'Compare')),
    pager(offset, pageSize, page.totalCount, (o) => navigate(here({ from, to, offset: o || undefined }))),
    diff);
  if (from && to && from !== to) {
    showDiff(diff, base, from, to).catch((e) => diff.replaceChildren(errorBox(e)));
  }
  return view;
});

// showDiff renders the difference between two versions side by side. diff2html escapes the code it shows; the
// file name it is given is a constant (the heading above says which versions).
async function showDiff(el, base, from, to) {
  el.replaceChildren(h('p', { class: 'muted' }, `Comparing v${from} with v${to}…`));
  loadStyle('vendor/diff2html.min.css');
  const [a, b] = await Promise.all([
    api('GET', `${base}/versions/${from}`), api('GET', `${base}/versions/${to}`),
    loadScript('vendor/diff.min.js'), loadScript('vendor/diff2html.min.js')]);
  const patch = window.Diff.createTwoFilesPatch('code', 'code', a.content, b.content, undefined, undefined, { context: 3 });
  const out = h('div', { class: 'files-diff-body' });
  if (a.content === b.content) {
    out.append(h('p', { class: 'muted' }, `v${from} and v${to} have the same code.`));
  } else {
    out.innerHTML = window.Diff2Html.html(patch, { outputFormat: 'side-by-side', drawFileList: false });
  }
  el.replaceChildren(h('h2', {}, `v${from} → v${to}`), out);
}
