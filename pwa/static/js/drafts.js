// Whatever is typed into a form is saved as it is typed, so closing the app loses nothing.
import * as idb from './idb.js';
import { fillForm, formData } from './dom.js';

export async function restore(form, key) {
  const saved = await idb.get('drafts', key).catch(() => null);
  if (saved) fillForm(form, saved);
  return Boolean(saved);
}

export function keep(form, key) {
  let timer = null;
  const save = () => {
    clearTimeout(timer);
    timer = setTimeout(() => idb.put('drafts', key, formData(form)).catch(() => {}), 200);
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
}

export function discard(key) {
  return idb.del('drafts', key).catch(() => {});
}
