// Building blocks every view shares: the page frame, notices, errors and the toast.
import { ApiError, OfflineError } from './api.js';
import { dateTime } from './format.js';
import { t } from './i18n.js';
import { h, replace } from './dom.js';

export function page(title, ...children) {
  return { title, node: h('div', { class: 'page' }, h('h1', { id: 'page-title', tabindex: '-1' }, title), children) };
}

export function section(title, ...children) {
  const id = 's-' + title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** The "mogelijk verouderd" marker on data that came from the device instead of the server. */
export function staleNote(result) {
  if (!result || !result.stale) return null;
  return h('p', { class: 'notice notice-stale', role: 'note' },
    t('offline.stale'), ' ', t('offline.saved_at', { when: dateTime(result.savedAt) }));
}

export function errorText(err) {
  if (err instanceof OfflineError) return t('error.offline');
  if (err instanceof ApiError) {
    if (err.status === 404) return t('error.not_found');
    if (err.status === 403) return t('error.forbidden');
    if (err.status === 429) return t('error.too_many');
    // The field messages come from the server; the headline stays in the user's language.
    if (err.status === 422 && Object.keys(err.fields || {}).length) return t('error.invalid');
    return err.message || t('error.generic');
  }
  return t('error.generic');
}

export function errorBox(err) {
  return h('p', { class: 'notice notice-error', role: 'alert' }, errorText(err));
}

/** Show a refused form's field errors next to the fields, and a summary at the top. */
export function showFormError(form, err) {
  form.querySelectorAll('.field-error').forEach((el) => el.remove());
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  let summary = form.querySelector('.form-error');
  if (!summary) {
    summary = h('div', { class: 'notice notice-error form-error', role: 'alert', tabindex: '-1' });
    form.prepend(summary);
  }
  const fields = (err && err.fields) || {};
  const extra = [];
  for (const [name, messages] of Object.entries(fields)) {
    const text = flatten(messages).join(' ');
    const control = form.elements.namedItem(name);
    if (control && control.id) {
      control.setAttribute('aria-invalid', 'true');
      const msg = h('p', { class: 'field-error', id: control.id + '-error' }, text);
      control.setAttribute('aria-describedby', msg.id);
      control.insertAdjacentElement('afterend', msg);
    } else {
      extra.push(`${name}: ${text}`);
    }
  }
  replace(summary, errorText(err), extra.length ? h('ul', {}, extra.map((x) => h('li', {}, x))) : null);
  summary.focus();
}

function flatten(messages) {
  if (typeof messages === 'string') return [messages];
  if (Array.isArray(messages)) return messages.flatMap(flatten);
  if (messages && typeof messages === 'object') return Object.values(messages).flatMap(flatten);
  return [];
}

export function clearFormError(form) {
  const summary = form.querySelector('.form-error');
  if (summary) summary.remove();
}

/** Run a form's submit handler with its button busy, so a double tap never sends twice. */
export function onSubmit(form, handler) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('[type=submit]');
    if (button && button.disabled) return;
    if (button) button.disabled = true;
    try {
      await handler(event);
    } catch (err) {
      showFormError(form, err);
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

let toastTimer = null;
export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 4000);
}

export function button(text, onclick, cls = 'btn') {
  return h('button', { type: 'button', class: cls, onclick }, text);
}

export function empty(text) {
  return h('p', { class: 'empty' }, text);
}
