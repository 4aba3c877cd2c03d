// A new report. Urgent first shows "Bel 112" with the group's other contacts (SAAR: alarm 112, then app).
import * as api from '../api.js';
import * as drafts from '../drafts.js';
import * as outbox from '../outbox.js';
import * as router from '../router.js';
import { checkbox, field, formData, h, select } from '../dom.js';
import { fromLocalInput, localInput } from '../format.js';
import { label, options, t } from '../i18n.js';
import { onSubmit, page, toast } from '../ui.js';
import { contactList, loadContacts, loadGroup } from './group.js';

export const CATEGORIES = ['suspicious_situation', 'suspicious_person', 'suspicious_vehicle', 'burglary',
  'attempted_burglary', 'theft', 'vandalism', 'fire_or_danger', 'nuisance', 'other'];

export async function newReportView(ctx) {
  const groupId = Number(ctx.params.id);
  const group = (await loadGroup(groupId)).data;
  const contacts = api.items((await loadContacts(group).catch(() => ({ data: [] }))).data);
  const draftKey = `report:${groupId}`;

  const form = h('form', { class: 'form', novalidate: true, hidden: true },
    h('input', { type: 'hidden', name: 'urgency', value: 'normal' }),
    field(t('report.category'), select('category', options('category', CATEGORIES), 'suspicious_situation')),
    field(t('report.description'), h('textarea', { name: 'description', rows: 5, required: true, maxlength: 2000 }),
      t('report.description_hint')),
    field(t('report.location'), h('input', { name: 'location', required: true, maxlength: 200, autocomplete: 'off' }),
      t('report.location_hint')),
    field(t('report.occurred_at'), h('input', { name: 'occurred_at', type: 'datetime-local', value: localInput(), max: localInput() })),
    checkbox(t('report.called_112'), { name: 'called_112' }),
    h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('report.send')));

  const urgencyText = h('p', { class: 'form-urgency' });
  const showForm = (urgency, called) => {
    form.elements.urgency.value = urgency;
    if (called !== undefined) form.elements.called_112.checked = called;
    urgencyText.textContent = label('urgency', urgency);
    urgencyText.className = `form-urgency tag ${urgency === 'urgent' ? 'tag-urgent' : ''}`;
    ask.hidden = true;
    alarm.hidden = true;
    form.hidden = false;
    form.prepend(urgencyText);
    form.elements.category.focus();
  };

  const otherContacts = contacts.filter((c) => c.kind !== 'emergency');
  const alarm = h('section', { class: 'alarm', hidden: true, 'aria-labelledby': 'alarm-title' },
    h('h2', { id: 'alarm-title' }, t('report.alarm_title')),
    h('a', { href: 'tel:112', class: 'btn btn-112', id: 'call-112' }, t('report.call_112')),
    h('p', {}, t('report.alarm_help')),
    otherContacts.length ? h('div', {}, h('h3', {}, t('report.other_contacts')), contactList(otherContacts)) : null,
    h('div', { class: 'actions actions-stack' },
      h('button', { type: 'button', class: 'btn btn-primary btn-block', id: 'called-112',
        onclick: () => showForm('urgent', true) }, t('report.did_call_112')),
      h('button', { type: 'button', class: 'btn btn-block', id: 'skip-112',
        onclick: () => showForm('urgent', false) }, t('report.app'))));

  const ask = h('section', { class: 'ask', 'aria-labelledby': 'ask-title' },
    h('h2', { id: 'ask-title' }, t('report.ask_urgent')),
    h('div', { class: 'actions actions-stack' },
      h('button', { type: 'button', class: 'btn btn-urgent btn-block', id: 'urgent-yes',
        onclick: () => { ask.hidden = true; alarm.hidden = false; document.getElementById('call-112').focus(); } },
      t('report.urgent_yes')),
      h('button', { type: 'button', class: 'btn btn-block', id: 'urgent-no', onclick: () => showForm('normal', false) },
        t('report.urgent_no'))));

  if (await drafts.restore(form, draftKey)) queueMicrotask(() => showForm(form.elements.urgency.value));
  drafts.keep(form, draftKey);

  onSubmit(form, async () => {
    const data = formData(form);
    const body = {
      category: data.category, urgency: data.urgency, description: data.description.trim(),
      location: { text: data.location.trim() }, called_112: data.called_112,
    };
    const occurred = fromLocalInput(data.occurred_at);
    if (occurred) body.occurred_at = occurred;
    const summary = `${label('category', body.category)} — ${body.location.text}`;
    const outcome = await outbox.submit('report', groupId, `/groups/${groupId}/reports`, body, summary);
    await drafts.discard(draftKey);
    if (outcome.sent) {
      toast(t('report.sent'));
      return router.navigate(`/reports/${outcome.result.id}`, { replace: true });
    }
    toast(t('outbox.queued'));
    return router.navigate(`/groups/${groupId}`, { replace: true });
  });

  return page(t('report.new_title'), h('p', { class: 'lead' }, group.name), ask, alarm, form);
}
