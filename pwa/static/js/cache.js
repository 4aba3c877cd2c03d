// The last loaded groups and reports, kept on the device so the app still shows them without network.
import * as api from './api.js';
import * as idb from './idb.js';

const KEEP = [/^\/groups(\/\d+)?$/, /^\/groups\/\d+\/(reports|help-requests|contacts)$/, /^\/reports\/\d+$/,
  /^\/help-requests\/\d+$/, /^\/me$/, /^\/me\/(reports|tasks)$/, /^\/surveys\/questionnaire$/];

function cacheKey(path, query) {
  const qs = query ? new URLSearchParams(query).toString() : '';
  return qs ? `${path}?${qs}` : path;
}

/** GET through the network; offline, answer the saved copy marked `stale` (shown as "mogelijk verouderd"). */
export async function load(path, query) {
  const key = cacheKey(path, query);
  try {
    const data = await api.get(path, query);
    if (KEEP.some((re) => re.test(path))) await idb.put('cache', key, { data, savedAt: Date.now() });
    return { data, stale: false };
  } catch (err) {
    if (!(err instanceof api.OfflineError)) throw err;
    const saved = await idb.get('cache', key);
    if (!saved) throw err;
    return { data: saved.data, stale: true, savedAt: saved.savedAt };
  }
}

export async function forget(path, query) {
  await idb.del('cache', cacheKey(path, query));
}

/** On sign-out nothing personal stays behind on the device. */
export async function clearAll() {
  await Promise.all(['cache', 'drafts', 'outbox'].map((store) => idb.clear(store)));
}
