// Start-up: language, service worker, the signed-in user, the outbox, the menu, and the routes.
import * as api from './api.js';
import * as outbox from './outbox.js';
import * as router from './router.js';
import * as session from './session.js';
import { h, replace } from './dom.js';
import { setLocale, t } from './i18n.js';
import { errorBox, page } from './ui.js';
import * as auth from './views/auth.js';
import * as groups from './views/groups.js';
import * as group from './views/group.js';
import * as help from './views/help.js';
import * as inbox from './views/inbox.js';
import * as moderate from './views/moderate.js';
import * as reportNew from './views/report-new.js';
import * as report from './views/report.js';
import * as settings from './views/settings.js';

// Surveys and group health load on first use: not in the precached shell.
const lazy = (load, name) => async (ctx) => (await load())[name](ctx);
const surveyModule = () => import('./views/survey.js');
const healthModule = () => import('./views/health.js');
const publicSurveyView = lazy(surveyModule, 'publicSurveyView');

const PUBLIC = new Set([auth.loginView, auth.registerView, publicSurveyView]);
let offline = false;
let routerStarted = false;
let pendingUrl = null;

function registerRoutes() {
  router.route('/login', auth.loginView);
  router.route('/register', auth.registerView);
  router.route('/', groups.myGroupsView);
  router.route('/groups', groups.myGroupsView);
  router.route('/help', groups.myGroupsView);
  router.route('/groups/find', groups.findView);
  router.route('/groups/:id', group.groupView);
  router.route('/groups/:id/join', groups.joinView);
  router.route('/groups/:id/charter', group.charterView);
  router.route('/groups/:id/reports/new', reportNew.newReportView);
  router.route('/groups/:id/help/new', help.newHelpView);
  router.route('/groups/:id/manage', moderate.manageView);
  router.route('/reports/:id', report.reportView);
  router.route('/help/:id', help.helpView);
  router.route('/inbox', inbox.inboxView);
  router.route('/tasks', moderate.tasksView);
  router.route('/settings', settings.settingsView);
  router.route('/groups/:id/survey', lazy(surveyModule, 'surveyView'));
  router.route('/survey/:token', publicSurveyView);
  router.route('/groups/:id/health', lazy(healthModule, 'healthView'));
  router.route('/admin/health', lazy(healthModule, 'adminHealthView'));
  router.fallback(() => page(t('notfound.title'), h('p', {}, t('notfound.body')),
    h('a', { href: '/', class: 'btn' }, t('nav.groups'))));
}

async function renderView(view, ctx, token) {
  const main = document.getElementById('main');
  if (!PUBLIC.has(view) && !session.currentUser()) {
    const next = encodeURIComponent(location.pathname + location.search);
    // An invite link first asks to create an account: most people opening one are new.
    const target = location.pathname.endsWith('/join') ? '/register' : '/login';
    return router.navigate(`${target}?next=${next}`, { replace: true });
  }
  main.setAttribute('aria-busy', 'true');
  let result;
  try {
    result = await view(ctx);
  } catch (err) {
    result = page(t('error.title'), errorBox(err));
  }
  if (!router.isCurrent(token) || !result) return;
  replace(main, result.node);
  main.removeAttribute('aria-busy');
  document.title = result.title ? `${result.title} · Buurtwacht` : 'Buurtwacht';
  renderNav();
  const heading = main.querySelector('h1');
  // Move focus to the new page's heading so screen readers announce it (not on the first load).
  if (heading && document.body.dataset.started) heading.focus({ preventScroll: false });
  document.body.dataset.started = '1';
  window.scrollTo(0, 0);
}

function renderNav() {
  const nav = document.getElementById('nav');
  const user = session.currentUser();
  if (!user) return replace(nav);
  const links = [['/', t('nav.groups')]];
  if (user.role === 'professional' || user.role === 'admin') links.push(['/inbox', t('nav.inbox')]);
  if (user.moderates || user.role === 'admin') links.push(['/tasks', t('nav.tasks')]);
  if (user.role === 'admin') links.push(['/admin/health', t('nav.health')]);
  links.push(['/settings', t('nav.settings')]);
  const here = location.pathname;
  replace(nav, h('ul', {}, links.map(([href, text]) => h('li', {},
    h('a', { href, 'aria-current': (href === '/' ? here === '/' || here === '/groups' : here.startsWith(href)) ? 'page' : null }, text)))));
}

let probe = null;

function setOffline(next) {
  offline = next;
  // While offline, a light request now and then notices the network coming back (then the outbox is sent).
  clearInterval(probe);
  if (offline) probe = setInterval(() => api.request('GET', '/health', undefined, { auth: false }).catch(() => {}), 5000);
  const banner = document.getElementById('banner');
  banner.hidden = !offline;
  banner.textContent = offline ? t('offline.banner') : '';
  document.body.classList.toggle('is-offline', offline);
}

export function isOffline() {
  return offline;
}

async function restoreSession() {
  const remembered = await session.rememberedUser().catch(() => null);
  if (remembered && remembered.locale) await setLocale(remembered.locale);
  if (!api.hasRefreshCookie()) {
    if (remembered) await session.setUser(null);
    return;
  }
  try {
    const me = await api.get('/me');
    await setLocale(me.locale);
    await session.setUser({ ...me, moderates: Boolean(remembered && remembered.id === me.id && remembered.moderates) });
  } catch (err) {
    if (err instanceof api.OfflineError && remembered) {
      // Offline start: show what was saved on this device until the network is back.
      session.setUser(remembered);
      setOffline(true);
    } else if (!(err instanceof api.OfflineError)) {
      await session.setUser(null);
    }
  }
}

function watchSession() {
  window.addEventListener('buurtwacht:signed-out', async () => {
    if (!session.currentUser()) return;
    await session.setUser(null);
    const next = encodeURIComponent(location.pathname + location.search);
    if (routerStarted) router.navigate(`/login?next=${next}`, { replace: true });
  });
}

function watchConnection() {
  window.addEventListener('offline', () => setOffline(true));
  window.addEventListener('online', () => { setOffline(false); outbox.flush(); });
  // navigator.onLine is not reliable: a failed API call is what tells us.
  window.addEventListener('buurtwacht:network', (event) => {
    const wasOffline = offline;
    setOffline(!event.detail.online);
    if (wasOffline && event.detail.online) outbox.flush();
  });
}

async function registerWorker() {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.addEventListener('message', (event) => {
    if (!event.data || event.data.type !== 'navigate') return;
    // A notification tap can arrive while the app is still restoring the session: route it afterwards.
    if (routerStarted) router.navigate(event.data.url);
    else pendingUrl = event.data.url;
  });
  try {
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  } catch (err) {
    console.warn('service worker not registered', err);
  }
}

async function main() {
  setLocale('nl');
  registerRoutes();
  watchConnection();
  watchSession();
  const worker = registerWorker();
  await restoreSession();
  session.onUserChange(() => renderNav());
  await router.start();
  routerStarted = true;
  if (pendingUrl) await router.navigate(pendingUrl);
  await worker;
  if (session.currentUser()) outbox.start();
  else session.onUserChange((user) => { if (user) outbox.start(); });
}

router.afterRender(renderView);
main();
