// Who is signed in. Only the profile is remembered on the device (to open offline); tokens stay in api.js memory.
import * as idb from './idb.js';

let user = null;
const listeners = new Set();

export function currentUser() {
  return user;
}

export async function setUser(next) {
  user = next;
  if (next) await idb.put('meta', 'user', next);
  else await idb.del('meta', 'user');
  await tellWorker(next).catch(() => {});
  listeners.forEach((fn) => fn(user));
}

// The service worker picks the notification language and the professionals' "acknowledge" button from this.
async function tellWorker(next) {
  if (!('caches' in window)) return;
  const cache = await caches.open('buurtwacht-meta');
  if (next) await cache.put('/meta/user', new Response(JSON.stringify({ role: next.role, locale: next.locale })));
  else await cache.delete('/meta/user');
}

export async function rememberedUser() {
  return idb.get('meta', 'user');
}

export function onUserChange(fn) {
  listeners.add(fn);
}

/** Whether I moderate any group: decides if the menu shows "Taken". */
export async function noteModerates(moderates) {
  if (!user || Boolean(user.moderates) === moderates) return;
  await setUser({ ...user, moderates });
}

export function hasRole(...roles) {
  return Boolean(user && roles.includes(user.role));
}

/** My relation to a group as the API tells it: moderator, member, pending, professional or admin. */
export function roleIn(group) {
  if (!group) return null;
  if (group.my_membership_status === 'pending') return 'pending';
  if (group.my_role) return group.my_role;
  if (user && (user.role === 'admin' || user.role === 'professional')) return user.role;
  return null;
}

export function canModerate(group) {
  return Boolean(group && (group.can_moderate || group.my_role === 'moderator')) || hasRole('admin');
}

export function canGiveFeedback(group) {
  return canModerate(group) || hasRole('professional');
}
