// The console's shared helpers: the API client, a small DOM builder, the router and the page state. Views
// (views/*.js) import from here and register their routes; app.js starts the page.

export const state = {
  session: null, // {user: {id, name, role}, csrfToken}
  project: null, // the current project's detail: {id, name, ..., can: {write, manage}}
};

// ApiError is a refused or failed API call: code and message as the server sent them, and the status.
export class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.code || 'Error';
    this.requestId = body.requestId || '';
  }
}

// api calls the console API: path is under /console/api, body (if any) is sent as JSON. It resolves to the
// decoded answer and rejects with an ApiError. An expired session sends the browser to sign in.
export async function api(method, path, body) {
  const headers = {};
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = state.session?.csrfToken || '';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/console/api' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin',
  });
  const data = await res.json().catch(() => ({ message: res.statusText }));
  if (res.status === 401) {
    signIn();
    throw new ApiError(res.status, data);
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// query builds "?a=1&b=2" from an object, leaving out empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export function signIn() {
  location.assign('/console/signin?next=' + encodeURIComponent(location.pathname + location.search));
}

// h builds an element: h('a', {href: '/x', class: 'y', onclick: fn}, 'text', child, [more]). Attributes
// starting with "on" become listeners; children that are strings become text (never HTML); null and false
// children are skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// link is an anchor the router follows without reloading the page.
export function link(href, ...children) {
  return h('a', { href }, ...children);
}

// --- routing ---------------------------------------------------------------------------------------------

const routes = [];

// route registers a view for a path pattern under /console, such as '/projects/:project/files/:id'.
// render(params, query) returns (or resolves to) the element to show; params are decoded.
export function route(pattern, render) {
  const names = [];
  const re = new RegExp('^/console' + pattern.replace(/:(\w+)/g, (_, n) => {
    names.push(n);
    return '([^/]+)';
  }) + '/?$');
  routes.push({ re, names, render });
}

let renderSeq = 0;

// navigate shows path (with its query) and records it in the history unless replace.
export function navigate(path, replace = false) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return render();
}

// render shows the view of the current location.
export async function render() {
  const seq = ++renderSeq;
  const main = document.getElementById('main');
  const path = location.pathname;
  const params = new URLSearchParams(location.search);
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    const args = {};
    r.names.forEach((n, i) => { args[n] = decodeURIComponent(m[i + 1]); });
    try {
      await onProject(args.project);
      const view = await r.render(args, params);
      if (seq !== renderSeq) return; // a later navigation won
      if (view) main.replaceChildren(view); // null: the view navigated elsewhere
    } catch (e) {
      if (seq !== renderSeq) return;
      main.replaceChildren(errorBox(e));
    }
    document.dispatchEvent(new CustomEvent('sluice:rendered', { detail: { path } }));
    return;
  }
  main.replaceChildren(h('section', {}, h('h1', {}, 'Not found'), h('p', {}, 'No console page lives at ', h('code', {}, path), '.')));
}

// projectHooks run when the current project changes (the header's switcher and nav listen).
const projectHooks = [];
export function onProjectChange(fn) { projectHooks.push(fn); }

async function onProject(name) {
  if (!name) {
    if (state.project) {
      state.project = null;
      projectHooks.forEach((fn) => fn(null));
    }
    return;
  }
  if (state.project?.name === name) return;
  state.project = await api('GET', '/projects/' + encodeURIComponent(name));
  projectHooks.forEach((fn) => fn(state.project));
}

// projectPath is the console path of a page of the current (or named) project.
export function projectPath(rest = '', project = state.project?.name) {
  return '/console/projects/' + encodeURIComponent(project) + rest;
}

// --- small widgets -----------------------------------------------------------------------------------------

export function errorBox(e) {
  const msg = e instanceof ApiError ? `${e.message} (${e.code}${e.requestId ? ', request ' + e.requestId : ''})` : String(e.message || e);
  return h('div', { class: 'error-box', role: 'alert' }, msg);
}

// notify shows a short message in the header's live region.
export function notify(text, kind = 'info') {
  const n = document.getElementById('notice');
  n.className = 'notice ' + kind;
  n.textContent = text;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { n.textContent = ''; n.className = ''; }, 6000);
}

// pager renders "1–50 of 1,234" with previous and next buttons for an offset/limit list.
export function pager(offset, limit, total, go) {
  const last = Math.min(offset + limit, total);
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    h('button', { type: 'button', disabled: offset <= 0, onclick: () => go(Math.max(0, offset - limit)) }, '‹ Previous'),
    h('span', { class: 'muted' }, total ? `${(offset + 1).toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}` : 'None'),
    h('button', { type: 'button', disabled: last >= total, onclick: () => go(offset + limit) }, 'Next ›'));
}

// badge is a coloured status label: kind is ok, warn, bad or info.
export function badge(text, kind = 'info') {
  return h('span', { class: 'badge ' + kind }, text);
}

export function formatTime(t) {
  if (!t) return '';
  const d = new Date(t);
  return isNaN(d) ? String(t) : d.toLocaleString();
}

export function formatBytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let i = -1;
  do { n /= 1024; i++; } while (n >= 1024 && i < units.length - 1);
  return n.toFixed(n < 10 ? 1 : 0) + ' ' + units[i];
}

// loadScript adds a vendored library's <script> once (libraries load when a view needs them, so the first
// page stays small) and resolves when it has run.
const loaded = new Map();
export function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const s = h('script', { src: '/console/assets/' + src });
      s.onload = resolve;
      s.onerror = () => reject(new Error('Could not load ' + src));
      document.head.append(s);
    }));
  }
  return loaded.get(src);
}

export function loadStyle(href) {
  if (!loaded.has(href)) {
    loaded.set(href, Promise.resolve());
    document.head.append(h('link', { rel: 'stylesheet', href: '/console/assets/' + href }));
  }
  return loaded.get(href);
}
