/* Buurtwacht service worker: precached app shell, offline navigation, push notifications.
 * API answers are personal and live: they are never stored here (the page keeps its own copy in IndexedDB). */
'use strict';

// Replaced by the server with a hash of the shell files, so every deploy gets a fresh cache.
const VERSION = '__SHELL_VERSION__';
const SHELL_CACHE = 'buurtwacht-shell-' + VERSION;
// The page reads this cache to know that an "acknowledge" tap really came from a notification.
const ACK_CACHE = 'buurtwacht-ack';
const SHELL = [
  '/',
  '/manifest.webmanifest',
  '/static/css/app.css',
  '/static/icons/icon-192.png',
  '/static/js/app.js',
  '/static/js/api.js',
  '/static/js/cache.js',
  '/static/js/dom.js',
  '/static/js/drafts.js',
  '/static/js/format.js',
  '/static/js/i18n.js',
  '/static/js/i18n/nl.js',
  '/static/js/idb.js',
  '/static/js/outbox.js',
  '/static/js/push.js',
  '/static/js/router.js',
  '/static/js/session.js',
  '/static/js/ui.js',
  '/static/js/views/auth.js',
  '/static/js/views/groups.js',
  '/static/js/views/group.js',
  '/static/js/views/help.js',
  '/static/js/views/inbox.js',
  '/static/js/views/moderate.js',
  '/static/js/views/report-new.js',
  '/static/js/views/report.js',
  '/static/js/views/settings.js',
];

self.addEventListener('install', (event) => {
  // `reload` bypasses the HTTP cache so a new version never precaches stale files.
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith('buurtwacht-shell-') && name !== SHELL_CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return; // straight to the network, never cached
  if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
    return;
  }
  if (url.pathname.startsWith('/static/') || url.pathname === '/manifest.webmanifest') {
    event.respondWith(staticFile(request));
  }
});

// Shell files from the cache; anything else of ours (the English catalogue, large icons, the survey and group-health
// views with the chart library) is cached on first use.
async function staticFile(request) {
  const hit = await caches.match(request, { ignoreSearch: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

// Network first so a new deploy shows at once; offline, every app route opens the cached shell.
async function navigation(request) {
  try {
    return await fetch(request);
  } catch (err) {
    const shell = await caches.match('/', { cacheName: SHELL_CACHE });
    if (shell) return shell;
    throw err;
  }
}

// Report notifications a professional can answer with one tap.
const ACKNOWLEDGEABLE = new Set(['report.urgent', 'report.normal', 'report.escalated']);

async function signedInUser() {
  try {
    const hit = await caches.match('/meta/user', { cacheName: 'buurtwacht-meta' });
    return hit ? await hit.json() : {};
  } catch (err) {
    return {};
  }
}

self.addEventListener('push', (event) => {
  event.waitUntil(showPush(event.data));
});

async function showPush(data) {
  let payload;
  try {
    payload = data ? data.json() : {};
  } catch (err) {
    payload = { body: data ? data.text() : '' };
  }
  const target = payload.url || (payload.data && payload.data.url) || '/';
  const who = await signedInUser();
  const lang = who.locale || 'nl';
  const options = {
    body: payload.body || '',
    tag: payload.tag || undefined,
    renotify: Boolean(payload.tag),
    icon: '/static/icons/icon-192.png',
    badge: '/static/icons/icon-192.png',
    lang,
    timestamp: Date.now(),
    data: { url: target, type: payload.type, report_id: payload.report_id, help_id: payload.help_id },
    requireInteraction: Boolean(payload.urgent),
  };
  if (who.role === 'professional' && ACKNOWLEDGEABLE.has(payload.type)) {
    options.actions = [{ action: 'acknowledge', title: lang === 'en' ? 'Acknowledge' : 'Bevestig ontvangst' }];
  }
  await self.registration.showNotification(payload.title || 'Buurtwacht', options);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  windows.forEach((client) => client.postMessage({ type: 'push', payload }));
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const done = handleNotificationClick(event.notification, event.action);
  event.waitUntil(done);
});

// Opening the page with ?ack=1 lets the signed-in page post the acknowledgement: the worker holds no token.
async function handleNotificationClick(notification, action) {
  let url = new URL((notification.data && notification.data.url) || '/', self.location.origin);
  if (url.origin !== self.location.origin) url = new URL('/', self.location.origin);
  if (action === 'acknowledge') {
    url.searchParams.set('ack', '1');
    const cache = await caches.open(ACK_CACHE);
    await cache.put('/ack' + url.pathname, new Response(String(Date.now())));
  }
  const target = url.pathname + url.search;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (open) {
    open.postMessage({ type: 'navigate', url: target });
    try {
      await open.focus();
    } catch (err) {
      // Focusing needs a user gesture; the page has navigated anyway.
    }
    return open;
  }
  return self.clients.openWindow(target);
}
