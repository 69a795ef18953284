// The resource centre of a project: its resources by group, the built-in modules, an upload form that
// streams the chosen file to the server (the file is never read into the page's memory) and download and
// delete for each resource.
import { api, badge, errorBox, formatBytes, formatTime, h, loadStyle, navigate, notify, pager, projectPath, query, route, state } from '../lib.js';

const kinds = ['jar', 'pyFile', 'file', 'modelFile'];
const statusKind = { READY: 'ok', UPLOADING: 'warn', FAILED: 'bad' };
const pageSize = 100;
// pollMs is how often the page looks again while a resource is UPLOADING.
const pollMs = 1500;

function apiPath(project, rest = '') {
  return '/console/api/projects/' + encodeURIComponent(project) + '/resources' + rest;
}

// guessKind picks the kind a file's extension suggests; the user may change it.
function guessKind(fileName) {
  const n = fileName.toLowerCase();
  if (n.endsWith('.jar')) return 'jar';
  if (n.endsWith('.py') || n.endsWith('.zip') || n.endsWith('.egg')) return 'pyFile';
  return 'file';
}

function statusBadge(res) {
  return h('span', { class: 'res-status' },
    badge(res.status, statusKind[res.status] || 'info'),
    res.status === 'FAILED' && res.reason ? h('span', { class: 'res-reason' }, res.reason) : null);
}

route('/projects/:project/resources', async (args, params) => {
  loadStyle('views/resources.css');
  const project = args.project;
  const canWrite = !!state.project?.can?.write;
  const filter = { kind: params.get('kind') || '', group: params.get('group') || '', offset: Number(params.get('offset')) || 0 };
  const listingBox = h('div', { class: 'res-listing', 'aria-live': 'polite' });
  const go = (change) => {
    const f = { ...filter, ...change };
    navigate(projectPath('/resources', project) + query({ kind: f.kind, group: f.group, offset: f.offset || '' }));
  };

  let timer = 0;
  let shown = false;
  const load = async () => {
    clearTimeout(timer);
    let l;
    try {
      l = await api('GET', '/projects/' + encodeURIComponent(project) + '/resources' +
        query({ kind: filter.kind, group: filter.group, offset: filter.offset, limit: pageSize }));
    } catch (e) {
      listingBox.replaceChildren(errorBox(e));
      return;
    }
    if (shown && !listingBox.isConnected) return; // the user left the page
    listingBox.replaceChildren(...renderListing(project, l, filter, canWrite, load, go));
    // Poll while an upload is still copying in, until it ends or the user leaves the page.
    if (l.uploading > 0) {
      timer = setTimeout(() => { if (listingBox.isConnected) load(); }, pollMs);
    }
  };
  await load();
  shown = true;

  return h('section', { class: 'resources' },
    h('h1', {}, 'Resources', state.project?.displayName && state.project.displayName !== state.project.name ? h('span', { class: 'muted res-display' }, ' · ' + state.project.displayName) : null),
    canWrite ? uploadForm(project, filter, load) : h('p', { class: 'muted small' }, 'You can read this project\'s resources; uploading and deleting need the developer role.'),
    filterBar(filter, go),
    listingBox);
});

function filterBar(filter, go) {
  const kind = h('select', { id: 'res-filter-kind' }, h('option', { value: '' }, 'Any kind'), kinds.map((k) => h('option', { value: k }, k)));
  kind.value = filter.kind;
  const group = h('input', { id: 'res-filter-group', type: 'search', value: filter.group, placeholder: 'All groups' });
  return h('form', {
    class: 'toolbar res-filter', role: 'search', onsubmit: (ev) => {
      ev.preventDefault();
      go({ kind: kind.value, group: group.value.trim(), offset: 0 });
    },
  },
  h('label', { for: 'res-filter-kind' }, 'Kind', kind),
  h('label', { for: 'res-filter-group' }, 'Group', group),
  h('button', { type: 'submit' }, 'Filter'));
}

// renderListing lays the page of resources out by group: ungrouped first, then each group with its status.
function renderListing(project, l, filter, canWrite, reload, go) {
  const out = [];
  const ungrouped = l.items.filter((r) => !r.group);
  const byGroup = new Map();
  for (const r of l.items) {
    if (!r.group) continue;
    if (!byGroup.has(r.group)) byGroup.set(r.group, []);
    byGroup.get(r.group).push(r);
  }
  if (l.totalCount === 0) {
    out.push(h('p', { class: 'muted res-empty' }, filter.kind || filter.group ? 'No resource matches the filter.' : 'No resources yet.'));
  }
  if (ungrouped.length) {
    out.push(h('h2', {}, 'Ungrouped'), resourceTable(project, ungrouped, canWrite, reload));
  }
  const groups = new Map(l.groups.map((g) => [g.name, g]));
  for (const [name, rs] of byGroup) {
    const g = groups.get(name);
    out.push(h('h2', { class: 'res-group' }, 'Group ', h('span', { class: 'mono' }, name), ' ',
      g ? badge(g.status, statusKind[g.status] || 'info') : null,
      g ? h('span', { class: 'muted small' }, ` ${g.resourceCount} resource${g.resourceCount === 1 ? '' : 's'} · owner ${g.owner}`) : null));
    out.push(resourceTable(project, rs, canWrite, reload));
  }
  if (l.totalCount > pageSize || filter.offset > 0) {
    out.push(pager(filter.offset, pageSize, l.totalCount, (offset) => go({ offset })));
  }
  if (l.modules.length) {
    out.push(h('h2', {}, 'Built-in modules'),
      h('table', { class: 'list res-modules' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Module'), h('th', {}, 'Kind'), h('th', {}, 'Resources'), h('th', {}, 'Description'))),
        h('tbody', {}, l.modules.map((m) => h('tr', {},
          h('td', { class: 'mono' }, m.name), h('td', {}, m.kind),
          h('td', { class: 'mono small' }, m.resources.join(', ')), h('td', {}, m.description || ''))))));
  }
  return out;
}

function resourceTable(project, rs, canWrite, reload) {
  return h('table', { class: 'list res-table' },
    h('thead', {}, h('tr', {},
      h('th', {}, 'Name'), h('th', {}, 'Status'), h('th', {}, 'Size'), h('th', {}, 'Kind'),
      h('th', {}, 'SHA-256'), h('th', {}, 'Owner'), h('th', {}, 'Updated'), h('th', { class: 'res-actions' }, h('span', { class: 'sr-only' }, 'Actions')))),
    h('tbody', {}, rs.map((r) => h('tr', { dataset: { name: r.name, group: r.group } },
      h('td', { class: 'mono' }, r.name),
      h('td', {}, statusBadge(r)),
      h('td', {}, r.status === 'READY' ? formatBytes(r.size) : ''),
      h('td', {}, r.kind),
      h('td', { class: 'mono small', title: r.sha256 || '' }, r.sha256 ? r.sha256.slice(0, 12) + '…' : ''),
      h('td', {}, r.owner),
      h('td', { class: 'small' }, formatTime(r.updatedAt)),
      h('td', { class: 'res-actions' },
        r.status === 'READY'
          ? h('a', { class: 'button res-download', href: apiPath(project, '/' + encodeURIComponent(r.name) + '/content' + query({ group: r.group })), download: r.name, 'aria-label': 'Download ' + r.name }, 'Download')
          : null,
        canWrite ? h('button', { type: 'button', class: 'danger res-delete', 'aria-label': 'Delete ' + r.name, onclick: () => remove(project, r, reload) }, 'Delete') : null)))));
}

async function remove(project, r, reload) {
  const where = r.group ? ` from group ${r.group}` : '';
  if (!confirm(`Delete ${r.name}${where}? Its bytes are removed too.`)) return;
  try {
    await api('DELETE', '/projects/' + encodeURIComponent(project) + '/resources/' + encodeURIComponent(r.name) + query({ group: r.group }));
    notify(`Deleted ${r.name}.`, 'ok');
  } catch (e) {
    notify(e.message, 'bad');
  }
  reload();
}

// uploadForm streams the chosen file as the request body with XMLHttpRequest, whose upload progress events
// drive the progress bar (fetch has none). The File is handed to send() as it is: the browser reads it from
// disk as it sends, so a file of gigabytes never sits in the page's memory.
function uploadForm(project, filter, reload) {
  const file = h('input', { id: 'res-file', type: 'file', required: true });
  const name = h('input', { id: 'res-name', type: 'text', required: true, pattern: '[A-Za-z0-9_!.\\-]+', maxlength: 128, placeholder: 'from the file' });
  const kind = h('select', { id: 'res-kind' }, kinds.map((k) => h('option', { value: k }, k)));
  const group = h('input', { id: 'res-group', type: 'text', value: filter.group, pattern: '[A-Za-z0-9._\\-]*', maxlength: 64, placeholder: 'none' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'res-upload' }, 'Upload');
  const progress = h('progress', { id: 'res-progress', max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const progressText = h('span', { id: 'res-progress-text', class: 'muted small', 'aria-live': 'polite' });
  const problem = h('div', { class: 'res-problem' });

  file.addEventListener('change', () => {
    const f = file.files[0];
    if (!f) return;
    name.value = f.name;
    kind.value = guessKind(f.name);
  });

  const form = h('form', { class: 'panel res-upload', 'aria-label': 'Upload a resource' },
    h('div', { class: 'toolbar' },
      h('label', { for: 'res-file' }, 'File', file),
      h('label', { for: 'res-name' }, 'Name', name),
      h('label', { for: 'res-kind' }, 'Kind', kind),
      h('label', { for: 'res-group' }, 'Group (optional)', group),
      submit),
    h('div', { class: 'res-progress' }, progress, progressText),
    problem);

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = file.files[0];
    if (!f) return;
    problem.replaceChildren();
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', apiPath(project, '/' + encodeURIComponent(name.value.trim()) + query({ group: group.value.trim(), kind: kind.value })));
    xhr.setRequestHeader('X-CSRF-Token', state.session?.csrfToken || '');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'json';
    progress.hidden = false;
    progress.max = f.size || 1;
    progress.value = 0;
    form.dataset.state = 'uploading';
    progressText.textContent = `Uploading 0 of ${formatBytes(f.size)}…`;
    submit.disabled = true;
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      progress.max = e.total || 1;
      progress.value = e.loaded;
      progressText.textContent = `Uploading ${formatBytes(e.loaded)} of ${formatBytes(e.total)}…`;
    };
    xhr.onload = () => {
      submit.disabled = false;
      const body = xhr.response || {};
      if (xhr.status === 200) {
        progress.value = progress.max;
        form.dataset.state = 'done';
        progressText.textContent = `Uploaded ${body.name} (${formatBytes(body.size)}).`;
        notify(`Uploaded ${body.name}.`, 'ok');
        form.reset();
        group.value = filter.group;
        reload();
        return;
      }
      form.dataset.state = 'failed';
      progressText.textContent = 'The upload failed.';
      problem.replaceChildren(errorBox({ message: `${body.message || xhr.statusText} (${body.code || xhr.status})` }));
    };
    xhr.onerror = () => {
      submit.disabled = false;
      form.dataset.state = 'failed';
      progressText.textContent = 'The upload failed: the connection was lost.';
    };
    xhr.send(f);
  });
  return form;
}
