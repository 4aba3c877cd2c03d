// Moderators: approvals, invites, the charter and contact editor with the activation checklist; check-in tasks.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as router from '../router.js';
import { field, formData, h, select } from '../dom.js';
import { ago, dateTime, fromLocalInput } from '../format.js';
import { label, options, t } from '../i18n.js';
import { canModerate } from '../session.js';
import { button, empty, errorBox, onSubmit, page, section, toast } from '../ui.js';
import { contactList, loadGroup } from './group.js';

const CONTACT_KINDS = ['emergency', 'police_non_urgent', 'community_officer', 'municipality', 'moderator', 'other'];

function memberName(m) {
  return m.display_name || (m.user && m.user.display_name) || `#${m.user_id || m.id}`;
}

async function approvals(groupId) {
  let members;
  try {
    members = api.items(await api.get(`/groups/${groupId}/members`, { status: 'pending' }));
  } catch (err) {
    return errorBox(err);
  }
  const pending = members.filter((m) => m.status === 'pending');
  if (!pending.length) return empty(t('manage.no_pending'));
  return h('ul', { class: 'list' }, pending.map((m) => h('li', { class: 'item item-static' },
    h('span', { class: 'item-title' }, memberName(m)),
    h('span', { class: 'item-meta' }, [m.postcode, m.house_number].filter(Boolean).join(' '), m.joined_at ? ` · ${ago(m.joined_at)}` : ''),
    h('div', { class: 'actions' },
      button(t('manage.approve'), async () => { await api.post(`/groups/${groupId}/members/${m.id}/approve`); await router.render(); }, 'btn btn-small btn-primary'),
      button(t('manage.refuse'), async () => { await api.post(`/groups/${groupId}/members/${m.id}/refuse`); await router.render(); }, 'btn btn-small btn-quiet')))));
}

function inviteForm(groupId) {
  const out = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'form', novalidate: true },
    field(t('manage.max_uses'), h('input', { name: 'max_uses', type: 'number', min: 1, value: 20, inputmode: 'numeric' })),
    field(t('manage.expires_at'), h('input', { name: 'expires_at', type: 'datetime-local' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('manage.create_invite')));
  onSubmit(form, async () => {
    const data = formData(form);
    const body = {};
    if (data.max_uses) body.max_uses = Number(data.max_uses);
    if (data.expires_at) body.expires_at = fromLocalInput(data.expires_at);
    const invite = await api.post(`/groups/${groupId}/invites`, body);
    const url = invite.url || `${location.origin}/groups/${groupId}/join?code=${encodeURIComponent(invite.code)}`;
    const input = h('input', { value: url, readonly: true, id: 'invite-url', class: 'invite-url' });
    out.replaceChildren(field(t('manage.invite_link'), input),
      h('div', { class: 'actions' },
        button(t('manage.copy'), async () => {
          await navigator.clipboard.writeText(url).then(() => toast(t('manage.copied')), () => input.select());
        }, 'btn btn-small'),
        navigator.share ? button(t('manage.share'), () => navigator.share({ title: 'Buurtwacht', url }).catch(() => {}), 'btn btn-small') : null));
  });
  return h('div', {}, form, out);
}

/** A button that makes an anonymous survey link for neighbours outside the group (also used by the health view). */
export function surveyLinkMaker(groupId) {
  const out = h('div', { 'aria-live': 'polite' });
  return h('div', {}, button(t('health.link_make'), async (event) => {
    event.target.disabled = true;
    try {
      const link = await api.post(`/groups/${groupId}/survey-links`, {});
      out.replaceChildren(field(t('health.link_url', { when: dateTime(link.expires_at) }),
        h('input', { value: link.url, readonly: true, class: 'invite-url js-survey-link' })));
    } catch (err) {
      out.replaceChildren(errorBox(err));
    } finally {
      event.target.disabled = false;
    }
  }, 'btn'), out);
}

function charterForm(group) {
  const form = h('form', { class: 'form', novalidate: true },
    field(t('groups.name'), h('input', { name: 'name', value: group.name || '', maxlength: 100 })),
    field(t('charter.problem'), h('textarea', { name: 'problem', rows: 3, value: group.problem || '' })),
    field(t('charter.goals'), h('textarea', { name: 'goals', rows: 4, value: (group.goals || []).join('\n') }), t('manage.goals_hint')),
    field(t('charter.house_rules'), h('textarea', { name: 'house_rules', rows: 6, value: group.house_rules || '' })),
    field(t('manage.target'), h('input', { name: 'feedback_target_minutes', type: 'number', min: 1, max: 1440,
      value: group.feedback_target_minutes ?? 10, inputmode: 'numeric' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save')));
  onSubmit(form, async () => {
    const data = formData(form);
    await api.patch(`/groups/${group.id}`, {
      name: data.name.trim(), problem: data.problem.trim(),
      goals: data.goals.split('\n').map((g) => g.trim()).filter(Boolean),
      house_rules: data.house_rules.trim(), feedback_target_minutes: Number(data.feedback_target_minutes),
    });
    await cache.forget(`/groups/${group.id}`);
    toast(t('common.saved'));
    await router.render();
  });
  return form;
}

function contactEditor(group, contacts) {
  const form = h('form', { class: 'form', novalidate: true },
    field(t('contacts.kind'), select('kind', options('contact_kind', CONTACT_KINDS), 'community_officer')),
    field(t('contacts.label'), h('input', { name: 'label', required: true, maxlength: 100 })),
    field(t('contacts.phone'), h('input', { name: 'phone', type: 'tel', maxlength: 30 })),
    field(t('contacts.url'), h('input', { name: 'url', type: 'url', maxlength: 300 })),
    field(t('contacts.hours'), h('input', { name: 'hours', maxlength: 100 })),
    h('button', { type: 'submit', class: 'btn' }, t('contacts.add')));
  onSubmit(form, async () => {
    const data = formData(form);
    const body = { kind: data.kind, label: data.label.trim() };
    for (const name of ['phone', 'url', 'hours']) if (data[name].trim()) body[name] = data[name].trim();
    await api.post(`/groups/${group.id}/contacts`, body);
    await cache.forget(`/groups/${group.id}/contacts`);
    await cache.forget(`/groups/${group.id}`);
    await router.render();
  });
  const list = contactList(contacts);
  [...list.children].forEach((li, i) => li.append(button(t('contacts.remove'), async () => {
    if (!confirm(t('contacts.remove_confirm'))) return;
    await api.del(`/contacts/${contacts[i].id}`).catch((err) => toast(err.message));
    await cache.forget(`/groups/${group.id}/contacts`);
    await router.render();
  }, 'btn btn-small btn-quiet')));
  return h('div', {}, list, h('h3', {}, t('contacts.new')), form);
}

function checklist(group, contacts) {
  const kinds = new Set(contacts.map((c) => c.kind));
  const named = contacts.some((c) => !['emergency', 'police_non_urgent'].includes(c.kind) && c.label);
  const items = [
    [Boolean(group.problem && group.problem.trim()), t('check.problem')],
    [(group.goals || []).length > 0, t('check.goals')],
    [true, t('check.moderator')],
    [kinds.has('emergency'), t('check.emergency')],
    [kinds.has('police_non_urgent'), t('check.police')],
    [named, t('check.local_contact')],
  ];
  const result = h('div', { 'aria-live': 'polite' });
  return h('div', {},
    h('ul', { class: 'checklist' }, items.map(([ok, text]) => h('li', { class: ok ? 'ok' : 'todo' },
      h('span', { class: 'check-mark', 'aria-hidden': 'true' }, ok ? '✓' : '○'),
      h('span', { class: 'visually-hidden' }, ok ? t('check.done') : t('check.todo')), ' ', text))),
    group.status === 'draft' ? button(t('manage.activate'), async (event) => {
      event.target.disabled = true;
      try {
        await api.post(`/groups/${group.id}/activate`);
        await cache.forget(`/groups/${group.id}`);
        toast(t('manage.activated'));
        await router.render();
      } catch (err) {
        event.target.disabled = false;
        const missing = Object.values(err.fields || {}).flat(Infinity).filter((x) => typeof x === 'string');
        result.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert' }, err.message,
          missing.length ? h('ul', {}, missing.map((m) => h('li', {}, m))) : null));
      }
    }, 'btn btn-primary') : h('p', {}, label('group_status', group.status)),
    result);
}

export async function manageView(ctx) {
  const id = Number(ctx.params.id);
  const group = (await loadGroup(id)).data;
  if (!canModerate(group)) return page(t('manage.title'), errorBox({ status: 403 }), h('p', {}, t('error.forbidden')));
  const contacts = Array.isArray(group.contacts) ? group.contacts
    : api.items(await api.get(`/groups/${id}/contacts`).catch(() => []));
  return page(t('manage.title'),
    h('p', { class: 'lead' }, h('a', { href: `/groups/${id}` }, group.name)),
    section(t('manage.activation'), checklist(group, contacts)),
    section(t('manage.approvals'), await approvals(id)),
    section(t('manage.invites'), inviteForm(id)),
    section(t('survey.link'), h('p', { class: 'hint' }, t('survey.link_help')), surveyLinkMaker(id)),
    section(t('manage.charter'), charterForm(group)),
    section(t('charter.contacts'), contactEditor(group, contacts)),
    h('p', {}, h('a', { href: '/tasks' }, t('nav.tasks'))));
}

export async function tasksView() {
  let tasks;
  try {
    tasks = api.items((await cache.load('/me/tasks')).data);
  } catch (err) {
    return page(t('tasks.title'), errorBox(err));
  }
  return page(t('tasks.title'),
    h('p', { class: 'hint' }, t('tasks.intro')),
    tasks.length ? h('ul', { class: 'list' }, tasks.map((task) => {
      const href = task.subject_type === 'report' ? `/reports/${task.subject_id}#checkin-form`
        : task.type === 'survey' ? `/groups/${task.group_id}/survey` : `/groups/${task.group_id}`;
      return h('li', { class: 'item' }, h('a', { href, class: 'item-link' },
        h('span', { class: 'item-title' }, task.title || label('task', task.type)),
        h('span', { class: 'item-meta' }, dateTime(task.created_at), task.due_at ? ` · ${t('tasks.due', { when: dateTime(task.due_at) })}` : '')));
    })) : empty(t('tasks.none')));
}

