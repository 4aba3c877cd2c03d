// Reports and help posts made without network wait here ("wacht op verbinding") and are sent when it returns.
// Each entry keeps one Idempotency-Key for life, so a resend after a lost answer never makes a duplicate.
import * as api from './api.js';
import * as idb from './idb.js';

const RETRY_MS = 30000;
const listeners = new Set();
let flushing = null;

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  listeners.forEach((fn) => fn());
}

export async function entries(filter = {}) {
  const list = await idb.all('outbox');
  return list
    .filter((e) => (filter.groupId === undefined || e.groupId === filter.groupId) && (!filter.kind || e.kind === filter.kind))
    .sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Queue a POST and try it at once. Resolves {sent: true, result} or {sent: false} when offline;
 * rejects with ApiError when the server refuses it (the form then shows the field errors).
 */
export async function submit(kind, groupId, path, body, summary) {
  const entry = { id: api.newKey(), key: api.newKey(), kind, groupId, path, body, summary, createdAt: Date.now() };
  await idb.put('outbox', entry.id, entry);
  changed();
  try {
    const result = await api.post(path, body, { idempotencyKey: entry.key });
    await idb.del('outbox', entry.id);
    changed();
    return { sent: true, result };
  } catch (err) {
    if (err instanceof api.OfflineError || (err instanceof api.ApiError && err.status >= 500)) return { sent: false };
    await idb.del('outbox', entry.id);
    changed();
    throw err;
  }
}

async function sendAll() {
  let sent = 0;
  for (const entry of await entries()) {
    if (entry.error) continue;
    try {
      await api.post(entry.path, entry.body, { idempotencyKey: entry.key });
      await idb.del('outbox', entry.id);
      sent += 1;
    } catch (err) {
      if (err instanceof api.OfflineError) break;
      if (err instanceof api.ApiError && (err.status >= 500 || err.status === 401 || err.status === 429)) continue;
      // One survey answer per wave: a 409 on a resend means the first one arrived.
      if (err instanceof api.ApiError && err.status === 409 && entry.kind === 'survey') {
        await idb.del('outbox', entry.id);
        sent += 1;
        continue;
      }
      // Refused for good (e.g. the group was archived meanwhile): keep it visible so nothing vanishes silently.
      entry.error = err.message;
      await idb.put('outbox', entry.id, entry);
    }
  }
  if (sent) changed();
  return sent;
}

/** Send what waits; one flush at a time (also across tabs). */
export function flush() {
  if (!flushing) {
    const run = () => sendAll();
    const locked = navigator.locks ? navigator.locks.request('buurtwacht-outbox', run) : run();
    flushing = locked.catch(() => 0).finally(() => { flushing = null; });
  }
  return flushing;
}

export async function discard(id) {
  await idb.del('outbox', id);
  changed();
}

let started = false;
export function start() {
  if (started) return flush();
  started = true;
  window.addEventListener('online', () => flush());
  setInterval(() => flush(), RETRY_MS);
  return flush();
}
