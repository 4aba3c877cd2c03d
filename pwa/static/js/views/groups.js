// My groups, finding a group by postcode, starting one, and joining with an invite link.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as router from '../router.js';
import { checkbox, field, formData, h } from '../dom.js';
import { label, t } from '../i18n.js';
import { empty, errorBox, onSubmit, page, section, staleNote } from '../ui.js';
import { noteModerates, roleIn } from '../session.js';

function groupCard(group) {
  const role = roleIn(group);
  return h('li', { class: 'item' },
    h('a', { href: `/groups/${group.id}`, class: 'item-link' },
      h('span', { class: 'item-title' }, group.name),
      h('span', { class: 'item-meta' },
        group.status && group.status !== 'active' ? h('span', { class: `tag tag-${group.status}` }, label('group_status', group.status)) : null,
        role ? h('span', { class: 'tag' }, label('role', role)) : null,
        (group.area && group.area.description) || group.area_description || '')));
}

export async function myGroupsView() {
  let list = null;
  let result = null;
  try {
    result = await cache.load('/groups');
    list = api.items(result.data);
    await noteModerates(list.some((g) => g.can_moderate));
  } catch (err) {
    return page(t('groups.title'), errorBox(err), findLink());
  }
  const surveys = api.items((await cache.load('/me/tasks').catch(() => ({}))).data).filter((x) => x.type === 'survey');
  return page(t('groups.title'),
    staleNote(result),
    surveys.map((x) => h('p', { class: 'notice survey-prompt' }, x.title, ' ',
      h('a', { href: `/groups/${x.group_id}/survey`, class: 'btn btn-small' }, t('survey.open_it')))),
    list.length ? h('ul', { class: 'list' }, list.map(groupCard)) : empty(t('groups.none')),
    section(t('groups.join_title'), h('p', {}, t('groups.join_help')), findLink()),
    section(t('groups.start_title'), startForm()));
}

function findLink() {
  return h('a', { href: '/groups/find', class: 'btn' }, t('groups.find'));
}

function startForm() {
  const form = h('form', { class: 'form', novalidate: true },
    h('p', { class: 'hint' }, t('groups.start_help')),
    field(t('groups.name'), h('input', { name: 'name', required: true, maxlength: 100 })),
    field(t('groups.postcodes'), h('input', { name: 'postcodes', required: true, autocomplete: 'postal-code' }), t('groups.postcodes_hint')),
    field(t('groups.problem'), h('textarea', { name: 'problem', rows: 3 })),
    h('button', { type: 'submit', class: 'btn' }, t('groups.start')));
  onSubmit(form, async () => {
    const data = formData(form);
    const postcodes = data.postcodes.split(/[,\s]+/).map((p) => p.trim().toUpperCase()).filter(Boolean);
    const created = await api.post('/groups', {
      name: data.name.trim(), area: { postcodes, description: '' }, problem: data.problem.trim() || undefined,
    });
    await router.navigate(`/groups/${created.id}/manage`);
  });
  return form;
}

export async function findView(ctx) {
  const results = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'form form-inline', role: 'search' },
    field(t('groups.postcode'), h('input', { name: 'postcode', required: true, autocomplete: 'postal-code',
      value: ctx.query.get('postcode') || '', maxlength: 7, inputmode: 'text' })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('groups.search')));
  onSubmit(form, async () => {
    const postcode = formData(form).postcode.replace(/\s+/g, '').toUpperCase();
    history.replaceState(null, '', `/groups/find?postcode=${encodeURIComponent(postcode)}`);
    const found = api.items(await api.get('/groups/search', { postcode }));
    results.replaceChildren(found.length
      ? h('ul', { class: 'list' }, found.map((g) => h('li', { class: 'item item-static' },
        h('span', { class: 'item-title' }, g.name),
        h('span', { class: 'item-meta' }, (g.area && g.area.description) || ''),
        g.problem ? h('p', {}, g.problem) : null,
        codeForm(g.id))))
      : empty(t('groups.search_none')));
  });
  if (ctx.query.get('postcode')) queueMicrotask(() => form.requestSubmit());
  return page(t('groups.find_title'), h('p', {}, t('groups.find_help')), form, results);
}

function codeForm(groupId) {
  const form = h('form', { class: 'form form-inline' },
    field(t('join.code'), h('input', { name: 'code', required: true, autocomplete: 'off' })),
    h('button', { type: 'submit', class: 'btn' }, t('join.submit_code')));
  onSubmit(form, () => router.navigate(`/groups/${groupId}/join?code=${encodeURIComponent(formData(form).code.trim())}`));
  return form;
}

export async function joinView(ctx) {
  const code = ctx.query.get('code') || '';
  const form = h('form', { class: 'form', novalidate: true },
    field(t('join.code'), h('input', { name: 'code', required: true, value: code, autocomplete: 'off' })),
    checkbox(t('join.adult'), { name: 'confirm_adult', required: true }),
    checkbox(t('join.in_area'), { name: 'confirm_lives_or_works_in_area', required: true }),
    h('fieldset', { class: 'fieldset' }, h('legend', {}, t('join.address_legend')),
      h('p', { class: 'hint' }, t('join.address_hint')),
      field(t('join.postcode'), h('input', { name: 'postcode', autocomplete: 'postal-code', maxlength: 7 })),
      field(t('join.house_number'), h('input', { name: 'house_number', autocomplete: 'address-line2', maxlength: 10 }))),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('join.submit')));
  const done = h('div', { 'aria-live': 'polite' });
  onSubmit(form, async () => {
    const data = formData(form);
    const body = {
      code: data.code.trim(), confirm_adult: data.confirm_adult,
      confirm_lives_or_works_in_area: data.confirm_lives_or_works_in_area,
    };
    if (data.postcode.trim()) body.postcode = data.postcode.replace(/\s+/g, '').toUpperCase();
    if (data.house_number.trim()) body.house_number = data.house_number.trim();
    let membership;
    try {
      membership = await api.post(`/groups/${ctx.params.id}/join`, body);
    } catch (err) {
      if (err.status !== 409) throw err;
      return router.navigate(`/groups/${ctx.params.id}`, { replace: true });
    }
    await cache.forget('/groups');
    // The baseline survey comes first, before the group's reports shape how safe one feels.
    if (membership.status === 'active') return router.navigate(`/groups/${ctx.params.id}/survey?start=1`, { replace: true });
    form.hidden = true;
    done.replaceChildren(h('p', { class: 'notice notice-ok', role: 'status' }, t('join.pending')),
      h('a', { href: '/', class: 'btn' }, t('nav.groups')));
    return null;
  });
  return page(t('join.title'), h('p', {}, t('join.intro')), form, done);
}

