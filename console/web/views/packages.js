// MaxCompute packages of a project: those created in it and those installed into it, a package's objects
// with their actions and its allow-list with labels, and the forms that change them. Packages are the
// admin role's (the core's Manage right, state.project.can.manage); other members only read.
import { api, badge, errorBox, formatTime, h, link, loadStyle, navigate, notify, pager, projectPath, query, route, state } from '../lib.js';

const pageSize = 100;
const objectTypes = ['table', 'resource', 'function'];

function pkgApi(project, rest = '') {
  return '/projects/' + encodeURIComponent(project) + rest;
}

function heading(text, ...more) {
  return h('h1', {}, text, ...more, state.project?.displayName && state.project.displayName !== state.project.name ? h('span', { class: 'muted pkg-display' }, ' · ' + state.project.displayName) : null);
}

// field is a labelled input.
function field(id, label, input) {
  input.id = id;
  return h('label', { for: id }, label, input);
}

// submitting runs a form's action with its button disabled, showing a refusal under the form.
function submitting(form, problem, action) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    problem.replaceChildren();
    try {
      await action();
    } catch (e) {
      problem.replaceChildren(errorBox(e));
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
  return form;
}

route('/projects/:project/packages', async (args, params) => {
  loadStyle('views/packages.css');
  const project = args.project;
  const canManage = !!state.project?.can?.manage;
  const offset = Number(params.get('offset')) || 0;
  const installedOffset = Number(params.get('installedOffset')) || 0;
  const l = await api('GET', pkgApi(project, '/packages') + query({ offset, installedOffset, limit: pageSize }));
  const go = (o) => navigate(projectPath('/packages', project) + query({ offset: o.offset ?? offset, installedOffset: o.installedOffset ?? installedOffset }));

  const created = l.created.items.length === 0
    ? h('p', { class: 'muted', id: 'pkg-created-empty' }, 'No package has been created in this project.')
    : h('table', { class: 'list pkg-created' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Package'), h('th', {}, 'Created'))),
      h('tbody', {}, l.created.items.map((p) => h('tr', {},
        h('td', { class: 'mono' }, link(projectPath('/packages/' + encodeURIComponent(p.name), project), p.name)),
        h('td', { class: 'small' }, formatTime(p.createdAt))))));
  const installed = l.installed.items.length === 0
    ? h('p', { class: 'muted', id: 'pkg-installed-empty' }, 'No package is installed into this project.')
    : h('table', { class: 'list pkg-installed' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Package'), h('th', {}, 'From project'), h('th', {}, 'Status'), h('th', {}, 'Installed'))),
      h('tbody', {}, l.installed.items.map((p) => h('tr', {},
        h('td', { class: 'mono' }, link(projectPath('/packages/' + encodeURIComponent(p.name), project) + query({ source: p.sourceProject }), p.sourceProject + '.' + p.name)),
        h('td', {}, p.sourceProject),
        h('td', {}, badge(p.status, p.status === 'OK' ? 'ok' : 'info')),
        h('td', { class: 'small' }, formatTime(p.installedAt))))));

  return h('section', { class: 'packages' },
    heading('Packages'),
    h('p', { class: 'muted small' }, canManage
      ? 'A package shares tables, resources and functions of this project with the projects on its allow-list, read-only.'
      : 'Creating, changing and installing packages needs the admin role of this project.'),
    h('div', { class: 'pkg-columns' },
      h('div', { class: 'grow' },
        h('h2', {}, 'Created in this project'), created,
        l.created.totalCount > pageSize || offset > 0 ? pager(offset, pageSize, l.created.totalCount, (o) => go({ offset: o })) : null,
        h('h2', {}, 'Installed into this project'), installed,
        l.installed.totalCount > pageSize || installedOffset > 0 ? pager(installedOffset, pageSize, l.installed.totalCount, (o) => go({ installedOffset: o })) : null),
      canManage ? h('div', { class: 'pkg-forms' }, createForm(project), installForm(project)) : null));
});

function createForm(project) {
  const name = h('input', { type: 'text', required: true, maxlength: 128, pattern: '[A-Za-z_][A-Za-z0-9_]*', autocomplete: 'off' });
  const problem = h('div');
  const form = h('form', { class: 'panel pkg-create', 'aria-labelledby': 'pkg-create-title' },
    h('h2', { id: 'pkg-create-title' }, 'Create a package'),
    field('pkg-new-name', 'Name (letters, digits, _)', name),
    h('button', { type: 'submit', class: 'primary', id: 'pkg-create' }, 'Create'),
    problem);
  return submitting(form, problem, async () => {
    const p = await api('POST', pkgApi(project, '/packages'), { name: name.value.trim() });
    notify(`Created package ${p.name}.`, 'ok');
    navigate(projectPath('/packages/' + encodeURIComponent(p.name), project));
  });
}

function installForm(project) {
  const source = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const name = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const problem = h('div');
  const form = h('form', { class: 'panel pkg-install', 'aria-labelledby': 'pkg-install-title' },
    h('h2', { id: 'pkg-install-title' }, 'Install a package'),
    h('p', { class: 'muted small' }, 'A package another project offers to this one: ask its admin for the project and package names.'),
    field('pkg-install-source', 'From project', source),
    field('pkg-install-name', 'Package', name),
    h('button', { type: 'submit', class: 'primary', id: 'pkg-install' }, 'Install'),
    problem);
  return submitting(form, problem, async () => {
    const p = await api('POST', pkgApi(project, '/installs'), { source: source.value.trim(), name: name.value.trim() });
    notify(`Installed ${p.sourceProject}.${p.name}.`, 'ok');
    navigate(projectPath('/packages', project));
  });
}

route('/projects/:project/packages/:name', async (args, params) => {
  loadStyle('views/packages.css');
  const project = args.project;
  const source = params.get('source') || '';
  const p = await api('GET', pkgApi(project, '/packages/' + encodeURIComponent(args.name)) + query({ source }));
  const canChange = !!state.project?.can?.manage && p.own;
  const canUninstall = !!state.project?.can?.manage && p.installed;
  const here = projectPath('/packages/' + encodeURIComponent(p.name), project) + query({ source });
  const reload = () => navigate(here, true);
  const base = pkgApi(project, '/packages/' + encodeURIComponent(p.name));
  const act = async (fn, done) => {
    try {
      await fn();
      notify(done, 'ok');
    } catch (e) {
      notify(e.message, 'bad');
    }
    reload();
  };

  const objects = p.objects.length === 0
    ? h('p', { class: 'muted', id: 'pkg-objects-empty' }, 'The package holds no objects yet.')
    : h('table', { class: 'list pkg-objects' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Type'), h('th', {}, 'Name'), h('th', {}, 'Actions'), h('th', {}, 'Schema'),
        canChange ? h('th', { class: 'pkg-remove' }, h('span', { class: 'sr-only' }, 'Remove')) : null)),
      h('tbody', {}, p.objects.map((o) => h('tr', {},
        h('td', {}, o.type),
        h('td', { class: 'mono' }, o.name),
        h('td', {}, h('span', { class: 'pkg-actions' }, o.actions.map((a) => badge(a, 'info')))),
        h('td', { class: 'mono small' }, o.schema),
        canChange ? h('td', { class: 'pkg-remove' }, h('button', {
          type: 'button', class: 'danger', 'aria-label': `Remove ${o.type} ${o.name}`,
          onclick: () => confirm(`Remove ${o.type} ${o.name} from package ${p.name}?`) &&
            act(() => api('DELETE', base + '/objects/' + encodeURIComponent(o.type) + '/' + encodeURIComponent(o.name) + query({ schema: o.schema })), `Removed ${o.name}.`),
        }, 'Remove')) : null))));

  const allowed = p.allowed.length === 0
    ? h('p', { class: 'muted', id: 'pkg-allowed-empty' }, p.own ? 'No project may install it yet.' : '')
    : h('table', { class: 'list pkg-allowed' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Project'), h('th', {}, 'Label'), canChange ? h('th', {}, h('span', { class: 'sr-only' }, 'Disallow')) : null)),
      h('tbody', {}, p.allowed.map((a) => h('tr', {},
        h('td', { class: 'mono' }, a.project),
        h('td', { title: 'The installing project reads data labelled at most this' }, String(a.label)),
        canChange ? h('td', {}, h('button', {
          type: 'button', class: 'danger', 'aria-label': `Disallow ${a.project}`,
          onclick: () => confirm(`Disallow ${a.project}? The package is uninstalled there.`) &&
            act(() => api('DELETE', base + '/allow/' + encodeURIComponent(a.project)), `${a.project} may no longer install ${p.name}.`),
        }, 'Disallow')) : null))));

  return h('section', { class: 'packages pkg-detail' },
    h('p', { class: 'small' }, link(projectPath('/packages', project), '‹ Packages')),
    heading('Package ', h('span', { class: 'mono', id: 'pkg-title' }, `${p.project}.${p.name}`)),
    h('dl', { class: 'props pkg-props' },
      h('dt', {}, 'Source project'), h('dd', {}, p.project),
      h('dt', {}, 'Created'), h('dd', {}, formatTime(p.createdAt)),
      h('dt', {}, 'State'), h('dd', { id: 'pkg-state' }, p.own ? 'Created in this project' : badge('Installed into ' + project, 'ok'))),
    canUninstall ? h('p', {}, h('button', {
      type: 'button', class: 'danger', id: 'pkg-uninstall',
      onclick: async () => {
        if (!confirm(`Uninstall ${p.project}.${p.name} from ${project}?`)) return;
        try {
          await api('DELETE', pkgApi(project, '/installs/' + encodeURIComponent(p.project) + '/' + encodeURIComponent(p.name)));
          notify(`Uninstalled ${p.project}.${p.name}.`, 'ok');
          navigate(projectPath('/packages', project));
        } catch (e) {
          notify(e.message, 'bad');
        }
      },
    }, 'Uninstall')) : null,
    h('div', { class: 'pkg-columns' },
      h('div', { class: 'grow' },
        h('h2', {}, 'Objects'), objects,
        h('h2', {}, p.own ? 'Projects allowed to install it' : 'This project\'s clearance'), allowed),
      canChange ? h('div', { class: 'pkg-forms' }, addObjectForm(base, reload), allowForm(base, reload)) : null));
});

function addObjectForm(base, reload) {
  const type = h('select', {}, objectTypes.map((t) => h('option', { value: t }, t)));
  const name = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const actions = h('input', { type: 'text', autocomplete: 'off', placeholder: 'the defaults' });
  const problem = h('div');
  const form = h('form', { class: 'panel pkg-add', 'aria-labelledby': 'pkg-add-title' },
    h('h2', { id: 'pkg-add-title' }, 'Add an object'),
    field('pkg-add-type', 'Type', type),
    field('pkg-add-name', 'Name', name),
    field('pkg-add-actions', 'Actions, comma-separated', actions),
    h('p', { class: 'muted small' }, 'Tables default to describe, select; resources and functions to read.'),
    h('button', { type: 'submit', class: 'primary', id: 'pkg-add' }, 'Add'),
    problem);
  return submitting(form, problem, async () => {
    const acts = actions.value.split(',').map((a) => a.trim()).filter(Boolean);
    await api('POST', base + '/objects', { type: type.value, name: name.value.trim(), actions: acts });
    notify(`Added ${type.value} ${name.value.trim()}.`, 'ok');
    reload();
  });
}

function allowForm(base, reload) {
  const project = h('input', { type: 'text', required: true, autocomplete: 'off' });
  const label = h('select', {}, Array.from({ length: 10 }, (_, i) => h('option', { value: String(i) }, String(i))));
  const problem = h('div');
  const form = h('form', { class: 'panel pkg-allow', 'aria-labelledby': 'pkg-allow-title' },
    h('h2', { id: 'pkg-allow-title' }, 'Allow a project'),
    field('pkg-allow-project', 'Project', project),
    field('pkg-allow-label', 'Label (clearance 0–9)', label),
    h('button', { type: 'submit', class: 'primary', id: 'pkg-allow' }, 'Allow'),
    problem);
  return submitting(form, problem, async () => {
    await api('POST', base + '/allow', { project: project.value.trim(), label: Number(label.value) });
    notify(`${project.value.trim()} may install the package.`, 'ok');
    reload();
  });
}
