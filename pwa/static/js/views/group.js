// A group's home: two separate parts, Meldingen (reports) and Buurthulp (help), with the charter one tap away.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as outbox from '../outbox.js';
import { h } from '../dom.js';
import { ago, dateTime, responseClock } from '../format.js';
import { label, t } from '../i18n.js';
import { canModerate, roleIn } from '../session.js';
import { button, empty, errorBox, page, staleNote } from '../ui.js';

export async function loadGroup(id) {
  return cache.load(`/groups/${id}`);
}

export function reportItem(report) {
  const clock = responseClock(report);
  return h('li', { class: ['item', report.urgency === 'urgent' ? 'item-urgent' : ''] },
    h('a', { href: `/reports/${report.id}`, class: 'item-link' },
      h('span', { class: 'item-title' },
        report.urgency === 'urgent' ? h('span', { class: 'tag tag-urgent' }, label('urgency', 'urgent')) : null,
        label('category', report.category)),
      h('span', { class: 'item-meta' }, label('report_status', report.status), ' · ', ago(report.created_at),
        report.location && report.location.text ? ` · ${report.location.text}` : ''),
      clock.text ? h('span', { class: `clock clock-${clock.state}` }, clock.text) : null));
}

export function pendingItem(entry) {
  return h('li', { class: 'item item-pending' },
    h('span', { class: 'item-title' }, entry.summary || ''),
    h('span', { class: 'item-meta' }, entry.error ? t('outbox.failed', { reason: entry.error }) : t('outbox.waiting')),
    h('div', { class: 'actions' },
      entry.error ? null : button(t('outbox.retry'), () => outbox.flush(), 'btn btn-small js-outbox-retry'),
      button(t('outbox.discard'), async () => { if (confirm(t('outbox.discard_confirm'))) await outbox.discard(entry.id); },
        'btn btn-small btn-quiet')));
}

function helpItem(post) {
  return h('li', { class: 'item' },
    h('a', { href: `/help/${post.id}`, class: 'item-link' },
      h('span', { class: 'item-title' }, h('span', { class: 'tag tag-help' }, label('help_kind', post.kind)),
        post.title ?? t('help.hidden_placeholder'),
        post.flag_count ? h('span', { class: 'tag tag-flagged' }, t('help.flag_count', { n: post.flag_count })) : null,
        post.hidden ? h('span', { class: 'tag' }, t('help.is_hidden')) : null),
      h('span', { class: 'item-meta' }, label('help_status', post.status),
        post.starts_at ? ` · ${dateTime(post.starts_at)}` : '',
        post.reply_count ? ` · ${t(post.reply_count === 1 ? 'help.replies_one' : 'help.replies_count', { n: post.reply_count })}` : '')));
}

async function pendingList(groupId, kind) {
  const waiting = await outbox.entries({ groupId, kind }).catch(() => []);
  return waiting.length ? h('ul', { class: 'list list-pending', 'aria-label': t('outbox.title') }, waiting.map(pendingItem)) : null;
}

export async function groupView(ctx) {
  const id = Number(ctx.params.id);
  let groupResult;
  try {
    groupResult = await loadGroup(id);
  } catch (err) {
    return page(t('group.title'), errorBox(err));
  }
  const group = groupResult.data;
  const role = roleIn(group);
  // Linked professionals answer reports; neighbour help is for members only.
  const memberOnly = role !== 'professional';
  const [reports, help, surveys] = await Promise.all([
    cache.load(`/groups/${id}/reports`).catch((err) => ({ error: err })),
    memberOnly ? cache.load(`/groups/${id}/help-requests`).catch((err) => ({ error: err })) : null,
    memberOnly && !groupResult.stale ? api.get(`/groups/${id}/surveys`).catch(() => null) : null,
  ]);
  const readOnly = group.status === 'archived';
  const canPost = !readOnly && role !== 'pending' && role !== 'professional';
  const stale = [groupResult, reports, help].find((r) => r && r.stale);
  const result = page(group.name,
    staleNote(stale),
    group.review_due ? h('p', { class: 'notice' }, t('group.review_due')) : null,
    group.status !== 'active' ? h('p', { class: 'notice' }, label('group_status', group.status)) : null,
    role === 'pending' ? h('p', { class: 'notice' }, t('join.pending')) : null,
    surveys && (surveys.open || []).length ? h('p', { class: 'notice survey-prompt' },
      h('a', { href: `/groups/${id}/survey` }, t('survey.invite'))) : null,
    h('nav', { class: 'quick', 'aria-label': t('group.quick_links') },
      h('a', { href: `/groups/${id}/charter`, class: 'btn' }, t('group.charter_contacts')),
      canModerate(group) ? h('a', { href: `/groups/${id}/manage`, class: 'btn' }, t('group.manage')) : null,
      canModerate(group) || role === 'professional' ? h('a', { href: `/groups/${id}/health`, class: 'btn' }, t('health.link')) : null),
    h('section', { class: 'part part-reports', 'aria-labelledby': 'part-reports' },
      h('h2', { id: 'part-reports' }, t('group.reports')),
      canPost ? h('a', { href: `/groups/${id}/reports/new`, class: 'btn btn-primary btn-block' }, t('group.new_report')) : null,
      reports.error ? errorBox(reports.error) : null,
      await pendingList(id, 'report'),
      reports.data ? (api.items(reports.data).length
        ? h('ul', { class: 'list' }, api.items(reports.data).map(reportItem)) : empty(t('group.no_reports'))) : null),
    help && h('section', { class: 'part part-help', 'aria-labelledby': 'part-help' },
      h('h2', { id: 'part-help' }, t('group.help')),
      h('p', { class: 'hint' }, t('group.help_intro')),
      canPost ? h('a', { href: `/groups/${id}/help/new`, class: 'btn btn-help btn-block' }, t('group.new_help')) : null,
      help.error ? errorBox(help.error) : null,
      await pendingList(id, 'help'),
      help.data ? (api.items(help.data).length
        ? h('ul', { class: 'list' }, api.items(help.data).map(helpItem)) : empty(t('group.no_help'))) : null));
  const stop = outbox.onChange(() => { if (ctx.isCurrent()) import('../router.js').then((r) => r.render()); else stop(); });
  return result;
}

export function contactList(contacts) {
  return h('ul', { class: 'contacts' }, contacts.map((c) => h('li', { class: 'contact' },
    h('span', { class: 'contact-label' }, c.label || label('contact_kind', c.kind)),
    h('span', { class: 'contact-kind' }, label('contact_kind', c.kind)),
    c.phone ? h('a', { href: `tel:${c.phone.replace(/[^0-9+]/g, '')}`, class: 'contact-phone' }, c.phone) : null,
    c.url && /^https?:\/\//.test(c.url) ? h('a', { href: c.url, rel: 'noopener', target: '_blank' }, c.url) : null,
    c.hours ? h('span', { class: 'contact-hours' }, c.hours) : null)));
}

export async function loadContacts(group) {
  if (Array.isArray(group.contacts)) return { data: group.contacts };
  return cache.load(`/groups/${group.id}/contacts`);
}

export async function charterView(ctx) {
  const id = Number(ctx.params.id);
  const groupResult = await loadGroup(id);
  const group = groupResult.data;
  const contacts = await loadContacts(group).catch((err) => ({ error: err }));
  const goals = group.goals || [];
  return page(t('charter.title'),
    staleNote(groupResult),
    h('p', { class: 'lead' }, group.name),
    h('section', { class: 'card', 'aria-labelledby': 'c-contacts' }, h('h2', { id: 'c-contacts' }, t('charter.contacts')),
      contacts.error ? errorBox(contacts.error) : contactList(api.items(contacts.data))),
    h('section', { class: 'card', 'aria-labelledby': 'c-problem' }, h('h2', { id: 'c-problem' }, t('charter.problem')),
      h('p', { class: 'prewrap' }, group.problem || '—')),
    h('section', { class: 'card', 'aria-labelledby': 'c-goals' }, h('h2', { id: 'c-goals' }, t('charter.goals')),
      goals.length ? h('ol', {}, goals.map((g) => h('li', {}, g))) : h('p', {}, '—')),
    h('section', { class: 'card', 'aria-labelledby': 'c-rules' }, h('h2', { id: 'c-rules' }, t('charter.house_rules')),
      h('p', { class: 'prewrap' }, group.house_rules || '—')),
    h('p', { class: 'hint' }, t('charter.target', { minutes: group.feedback_target_minutes ?? 10 }),
      group.review_at ? ' ' + t('charter.review_at', { when: dateTime(group.review_at) }) : ''),
    h('a', { href: `/groups/${id}`, class: 'btn' }, t('common.back')));
}
