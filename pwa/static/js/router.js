// History-API routing: /groups/3, /reports/12, /groups/3/join?code=X. Views render into <main>.
const routes = [];
let notFound = null;
let onRender = null;
let currentToken = 0;

export function route(pattern, view) {
  const names = [];
  const re = new RegExp('^' + pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return '([^/]+)'; }) + '/?$');
  routes.push({ re, names, view });
}

export function fallback(view) {
  notFound = view;
}

export function afterRender(fn) {
  onRender = fn;
}

function match(pathname) {
  for (const r of routes) {
    const m = pathname.match(r.re);
    if (m) {
      const params = {};
      r.names.forEach((name, i) => { params[name] = decodeURIComponent(m[i + 1]); });
      return { view: r.view, params };
    }
  }
  return { view: notFound, params: {} };
}

export async function render() {
  const token = ++currentToken;
  const url = new URL(location.href);
  const { view, params } = match(url.pathname);
  const ctx = { params, query: url.searchParams, path: url.pathname, isCurrent: () => token === currentToken };
  await onRender(view, ctx, token);
}

export function isCurrent(token) {
  return token === currentToken;
}

export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  return render();
}

export function start() {
  window.addEventListener('popstate', () => render());
  document.addEventListener('click', (event) => {
    const a = event.target.closest && event.target.closest('a[href]');
    if (!a || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || a.target || a.hasAttribute('download')) return;
    if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/static/')) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  return render();
}
