// The console page: the header (project switcher, project nav, sign-out), the home view, and the views of
// each area, which register their own routes.
import { api, h, link, navigate, onProjectChange, projectPath, render, route, state, query } from './lib.js';
import './views/files.js';
import './views/lineage.js';
import './views/resources.js';
import './views/packages.js';

// The areas of a project, in the header's nav.
const areas = [
  ['Files', '/files'],
  ['Tables', '/tables'],
  ['Lineage', '/lineage'],
  ['Resources', '/resources'],
  ['Packages', '/packages'],
];

route('/', async (_, params) => {
  const prefix = params.get('prefix') || '';
  const page = await api('GET', '/projects' + query({ prefix, limit: 200 }));
  const filter = h('input', { type: 'search', placeholder: 'Filter by name prefix', value: prefix, 'aria-label': 'Filter projects' });
  filter.addEventListener('change', () => navigate('/console/' + query({ prefix: filter.value }), true));
  return h('section', { class: 'projects' },
    h('h1', {}, 'Projects'),
    filter,
    page.items.length === 0
      ? h('p', { class: 'muted' }, 'You are not a member of any project yet.')
      : h('table', { class: 'list' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Name'), h('th', {}, 'Display name'), h('th', {}, 'Owner'), h('th', {}, 'Comment'))),
        h('tbody', {}, page.items.map((p) => h('tr', {},
          h('td', {}, link(projectPath('/files', p.name), p.name)),
          h('td', {}, p.displayName), h('td', {}, p.owner), h('td', {}, p.comment))))),
    page.totalCount > page.items.length ? h('p', { class: 'muted' }, `${page.items.length} of ${page.totalCount}: filter by prefix to find others.`) : null);
});

route('/projects/:project', (args) => {
  navigate(projectPath('/files', args.project), true);
  return null; // the navigation above shows the page
});

async function start() {
  try {
    state.session = await api('GET', '/session');
  } catch {
    return; // api() has sent the browser to sign in
  }
  document.getElementById('whoami').textContent = state.session.user.name;
  document.getElementById('signout').addEventListener('click', async () => {
    await api('POST', '/signout').catch(() => {});
    location.assign('/console/signin');
  });
  setUpSwitcher();
  // Links inside the console change the view without reloading the page.
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest('a[href]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || a.target || a.hasAttribute('download')) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !url.pathname.startsWith('/console/') || url.pathname.startsWith('/console/api/')) return;
    ev.preventDefault();
    navigate(url.pathname + url.search);
  });
  window.addEventListener('popstate', render);
  // The nav marks the area the page belongs to.
  document.addEventListener('sluice:rendered', () => {
    for (const a of document.querySelectorAll('#project-nav a')) {
      const here = location.pathname.startsWith(new URL(a.href).pathname);
      if (here) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
  });
  await render();
}

function setUpSwitcher() {
  const select = document.getElementById('project-switcher');
  const nav = document.getElementById('project-nav');
  const fill = async () => {
    const page = await api('GET', '/projects' + query({ limit: 1000 }));
    select.replaceChildren(h('option', { value: '' }, 'All projects'),
      ...page.items.map((p) => h('option', { value: p.name }, p.displayName && p.displayName !== p.name ? `${p.name} · ${p.displayName}` : p.name)));
    select.value = state.project?.name || '';
  };
  select.addEventListener('change', () => navigate(select.value ? projectPath('/files', select.value) : '/console/'));
  onProjectChange((p) => {
    select.value = p?.name || '';
    nav.replaceChildren(...(p ? areas.map(([label, path]) => link(projectPath(path), label)) : []));
  });
  fill();
}

start();
