// Whatever is typed into a form is saved as it is typed, so closing the app loses nothing.
import * as idb from './idb.js';
import { fillForm, formData } from './dom.js';

const timers = new Map();

export async function restore(form, key) {
  const saved = await idb.get('drafts', key).catch(() => null);
  if (saved) fillForm(form, saved);
  return Boolean(saved);
}

export function keep(form, key) {
  const save = () => {
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      idb.put('drafts', key, formData(form)).catch(() => {});
    }, 200));
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
}

/** After sending: forget the draft, including a save still waiting (a blur fires `change` on submit). */
export function discard(key) {
  clearTimeout(timers.get(key));
  timers.delete(key);
  return idb.del('drafts', key).catch(() => {});
}
