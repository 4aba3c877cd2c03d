// All HTTP goes through here. The access token lives only in this module's memory; the refresh token is an
// HttpOnly cookie the browser sends to /api/v1/auth, guarded by the readable CSRF cookie.

const BASE = '/api/v1';
let accessToken = null;
let refreshing = null;

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.fields = (body && body.errors) || {};
  }
}

// fetch() rejects without network; `navigator.onLine` cannot be trusted to tell.
export class OfflineError extends Error {}

function signedOut() {
  accessToken = null;
  window.dispatchEvent(new CustomEvent('buurtwacht:signed-out'));
}

export function isSignedIn() {
  return accessToken !== null;
}

export function forgetToken() {
  accessToken = null;
}

function csrfCookie() {
  const match = document.cookie.match(/(?:^|;\s*)csrf_refresh_token=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

export function hasRefreshCookie() {
  return csrfCookie() !== null;
}

let reachable = true;

function network(online) {
  if (online === reachable) return;
  reachable = online;
  window.dispatchEvent(new CustomEvent('buurtwacht:network', { detail: { online } }));
}

async function send(path, options) {
  let response;
  try {
    response = await fetch(BASE + path, options);
  } catch (err) {
    network(false);
    throw new OfflineError(err.message);
  }
  network(true);
  return response;
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** Trade the refresh cookie for a new access token; one at a time across tabs, since reuse ends the sign-in. */
export function refresh() {
  if (!refreshing) {
    const attempt = async () => {
      const csrf = csrfCookie();
      if (!csrf) {
        signedOut();
        throw new ApiError(401, { message: 'not signed in' });
      }
      const response = await send('/auth/refresh', {
        method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-TOKEN': csrf },
      });
      let body;
      try {
        body = await parse(response);
      } catch (err) {
        // The sign-in has ended (expired, signed out elsewhere, or a reused token): back to the login page.
        if (err instanceof ApiError && (err.status === 401 || err.status === 422)) signedOut();
        throw err;
      }
      accessToken = body.access_token;
      return true;
    };
    const locked = navigator.locks ? navigator.locks.request('buurtwacht-refresh', attempt) : attempt();
    refreshing = locked.finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function request(method, path, body, { idempotencyKey, auth = true, query } = {}) {
  if (query) {
    const params = new URLSearchParams();
    Object.entries(query).forEach(([k, v]) => { if (v !== undefined && v !== null && v !== '') params.set(k, v); });
    const qs = params.toString();
    if (qs) path += (path.includes('?') ? '&' : '?') + qs;
  }
  const build = () => {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (auth && accessToken) headers.Authorization = `Bearer ${accessToken}`;
    if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
    return { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) };
  };
  if (auth && !accessToken && hasRefreshCookie()) {
    await refresh().catch((err) => { if (err instanceof OfflineError) throw err; });
  }
  let response = await send(path, build());
  if (response.status === 401 && auth) {
    await refresh();
    response = await send(path, build());
  }
  return parse(response);
}

/** Lists come back as arrays (with X-Pagination) or wrapped; always hand views an array. */
export function items(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.items)) return body.items;
  if (body && Array.isArray(body.results)) return body.results;
  return [];
}

/** A download (the CSV export) with the in-memory token, which a plain link cannot carry. */
export async function blob(path) {
  if (!accessToken) await refresh();
  const response = await send(path, { headers: { Authorization: `Bearer ${accessToken}` } });
  return response.ok ? response.blob() : parse(response);
}

export const get = (path, query) => request('GET', path, undefined, { query });
export const post = (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts);
export const put = (path, body) => request('PUT', path, body);
export const patch = (path, body) => request('PATCH', path, body);
export const del = (path) => request('DELETE', path);

export async function login(email, password) {
  const body = await request('POST', '/auth/login', { email, password, session_cookie: true }, { auth: false });
  accessToken = body.access_token;
  return body;
}

export async function logout() {
  try {
    await request('POST', '/auth/logout');
  } finally {
    accessToken = null;
  }
}

export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
