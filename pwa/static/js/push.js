// The "meldingen aanzetten" switch as a small state machine:
// unsupported | not-asked | denied | subscribing | on | off (| error, shown with the reason).
import * as api from './api.js';
import * as idb from './idb.js';

const SUBSCRIBE_TIMEOUT_MS = 10000;
const CHECK_TIMEOUT_MS = 3000;
let state = 'unsupported';
let detail = '';
const listeners = new Set();

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function set(next, why = '') {
  state = next;
  detail = why;
  listeners.forEach((fn) => fn(state, detail));
}

export function current() {
  return { state, detail };
}

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** Work out the state from the browser's permission and any existing subscription. */
export async function init() {
  if (!supported()) return set('unsupported');
  if (Notification.permission === 'denied') return set('denied');
  if (Notification.permission === 'default') return set('not-asked');
  if (state === 'unsupported') set('off'); // provisional: the browser's answer below can be slow
  const reg = await Promise.race([navigator.serviceWorker.ready, timeout(CHECK_TIMEOUT_MS)]).catch(() => null);
  const sub = reg ? await Promise.race([reg.pushManager.getSubscription(), timeout(CHECK_TIMEOUT_MS)]).catch(() => null) : null;
  return set(sub ? 'on' : 'off');
}

function keyBytes(base64url) {
  const padded = (base64url + '='.repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

function timeout(ms) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));
}

export async function turnOn() {
  if (!supported()) return set('unsupported');
  set('subscribing');
  try {
    const permission = await Notification.requestPermission();
    if (permission === 'denied') return set('denied');
    if (permission !== 'granted') return set('not-asked');
    const keyBody = await api.get('/push/public-key');
    const key = keyBody.public_key || keyBody.publicKey || keyBody.key || keyBody.vapid_public_key;
    const reg = await navigator.serviceWorker.ready;
    // A browser without a reachable push service never settles this promise.
    const sub = await Promise.race([
      reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) }),
      timeout(SUBSCRIBE_TIMEOUT_MS),
    ]);
    const json = sub.toJSON();
    const saved = await api.post('/push/subscriptions', { endpoint: json.endpoint, keys: json.keys });
    await idb.put('meta', 'push-subscription-id', saved && saved.id);
    return set('on');
  } catch (err) {
    return set('error', err.message === 'timeout' ? 'timeout' : err.message);
  }
}

export async function turnOff() {
  set('subscribing');
  try {
    const reg = await navigator.serviceWorker.ready;
    const sub = await reg.pushManager.getSubscription();
    let id = await idb.get('meta', 'push-subscription-id');
    if (!id && sub) {
      const mine = api.items(await api.get('/push/subscriptions'));
      const match = mine.find((s) => s.endpoint === sub.endpoint);
      id = match && match.id;
    }
    if (id) await api.del(`/push/subscriptions/${id}`).catch((err) => { if (err.status !== 404) throw err; });
    if (sub) await sub.unsubscribe();
    await idb.del('meta', 'push-subscription-id');
    return set('off');
  } catch (err) {
    return set('error', err.message);
  }
}
