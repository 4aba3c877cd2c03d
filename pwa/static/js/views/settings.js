// Settings: notifications on/off, what to be told about and quiet hours, language, signing out.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as push from '../push.js';
import * as router from '../router.js';
import * as session from '../session.js';
import { checkbox, field, formData, h, select } from '../dom.js';
import { label, options, setLocale, t } from '../i18n.js';
import { button, errorBox, onSubmit, page, section, toast } from '../ui.js';

const HELP_KINDS = ['lend_request', 'lend_offer', 'event', 'favour', 'other'];

function pushControl() {
  const status = h('p', { class: 'push-state', id: 'push-state', role: 'status' });
  const action = h('button', { type: 'button', class: 'btn btn-primary', id: 'push-toggle' });
  const draw = ({ state, detail }) => {
    status.textContent = t(`push.state.${state}`) + (state === 'error' && detail ? ` (${detail === 'timeout' ? t('push.timeout') : detail})` : '');
    action.hidden = state === 'unsupported' || state === 'denied';
    action.disabled = state === 'subscribing';
    action.textContent = state === 'on' ? t('push.turn_off') : t('push.turn_on');
    action.dataset.state = state;
  };
  action.addEventListener('click', () => (push.current().state === 'on' ? push.turnOff() : push.turnOn()));
  let shown = false;
  const stop = push.onChange((state, detail) => {
    // Stop listening once this page has been left (it may not be on screen yet on the first change).
    if (status.isConnected) shown = true;
    else if (shown) { stop(); return; }
    draw({ state, detail });
  });
  draw(push.current());
  push.init().catch(() => {});
  return h('div', {}, status, action, h('p', { class: 'hint' }, t('push.hint')));
}

async function preferencesForm() {
  let prefs;
  try {
    prefs = await api.get('/me/notification-preferences');
  } catch (err) {
    return errorBox(err);
  }
  const helpModes = prefs.help || {};
  const form = h('form', { class: 'form', novalidate: true },
    checkbox(t('prefs.normal_reports'), { name: 'normal_reports', checked: prefs.normal_reports !== false }),
    h('p', { class: 'hint' }, t('prefs.urgent_always')),
    h('fieldset', { class: 'fieldset' }, h('legend', {}, t('prefs.help')),
      HELP_KINDS.map((kind) => field(label('help_kind', kind),
        select(`help.${kind}`, options('help_mode', ['immediate', 'digest', 'off']), helpModes[kind] || 'immediate')))),
    h('fieldset', { class: 'fieldset' }, h('legend', {}, t('prefs.quiet_hours')),
      h('p', { class: 'hint' }, t('prefs.quiet_hint')),
      field(t('prefs.quiet_start'), h('input', { name: 'quiet_hours_start', type: 'time', value: prefs.quiet_hours_start || '' })),
      field(t('prefs.quiet_end'), h('input', { name: 'quiet_hours_end', type: 'time', value: prefs.quiet_hours_end || '' }))),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save')));
  onSubmit(form, async () => {
    const data = formData(form);
    const body = {
      normal_reports: data.normal_reports,
      help: Object.fromEntries(HELP_KINDS.map((kind) => [kind, data[`help.${kind}`]])),
      quiet_hours_start: data.quiet_hours_start || null,
      quiet_hours_end: data.quiet_hours_end || null,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Amsterdam',
    };
    await api.put('/me/notification-preferences', body);
    toast(t('common.saved'));
  });
  return form;
}

function languageForm(user) {
  const form = h('form', { class: 'form form-inline', novalidate: true },
    field(t('settings.language'), select('locale', [['nl', 'Nederlands'], ['en', 'English']], user.locale || 'nl')),
    h('button', { type: 'submit', class: 'btn' }, t('common.save')));
  onSubmit(form, async () => {
    const me = await api.patch('/me', { locale: formData(form).locale });
    await setLocale(me.locale);
    await session.setUser({ ...user, ...me });
    await router.render();
  });
  return form;
}

export async function settingsView() {
  const user = session.currentUser();
  return page(t('settings.title'),
    h('p', { class: 'lead' }, t('settings.signed_in_as', { name: user.display_name })),
    section(t('push.title'), pushControl()),
    section(t('prefs.title'), await preferencesForm()),
    section(t('settings.language_title'), languageForm(user)),
    user.role === 'admin' ? section(t('settings.admin'), h('a', { href: '/api/docs', class: 'btn', target: '_blank', rel: 'noopener' }, t('settings.api_docs'))) : null,
    section(t('settings.account'),
      button(t('settings.logout'), async () => {
        // A shared phone must not keep receiving this person's notifications.
        if (push.current().state === 'on') await push.turnOff().catch(() => {});
        await api.logout().catch(() => {});
        await cache.clearAll().catch(() => {});
        await session.setUser(null);
        await router.navigate('/login', { replace: true });
        toast(t('settings.logged_out'));
      }, 'btn')));
}
