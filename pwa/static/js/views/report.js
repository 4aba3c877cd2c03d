// One report: status, the response clock, "112 ook gebeld", the timeline, and feedback / check-in forms.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as drafts from '../drafts.js';
import * as router from '../router.js';
import { field, formData, h, select } from '../dom.js';
import { dateTime, responseClock } from '../format.js';
import { label, options, t } from '../i18n.js';
import { canGiveFeedback, canModerate, hasRole } from '../session.js';
import { button, errorBox, onSubmit, page, section, staleNote, toast } from '../ui.js';

const FEEDBACK_KINDS = ['acknowledgement', 'update', 'outcome'];
const CHECKIN_KINDS = ['doorbell_visit', 'street_walk', 'phone_call', 'conversation'];
const CHECKIN_OUTCOMES = ['reassured', 'information_gathered', 'nothing_found', 'referred_to_police'];
const ACK_WINDOW_MS = 5 * 60000;

function timelineEntry(item) {
  const type = item.type || 'event';
  const actor = item.actor;
  const by = actor ? [actor.display_name, actor.organisation].filter(Boolean).join(', ') : '';
  let title;
  let body = item.message || '';
  if (type === 'feedback') {
    title = label('feedback_kind', item.kind);
    if (item.professional === false) title += ` (${t('timeline.moderator')})`;
  } else if (type === 'check_in') {
    title = `${t('timeline.check_in')}: ${label('checkin_kind', item.kind)}`;
    const parts = [];
    if (item.households_reached !== undefined && item.households_reached !== null) parts.push(t('checkin.households_n', { n: item.households_reached }));
    if (item.outcome) parts.push(label('checkin_outcome', item.outcome));
    if (item.note) parts.push(item.note);
    body = parts.join(' · ');
  } else if (type === 'status_changed') {
    title = item.from_status ? t('timeline.status', { to: label('report_status', item.to_status) }) : t('timeline.created');
  } else if (type === 'escalation') {
    title = t('timeline.escalated');
  } else {
    title = label('timeline', type);
  }
  return h('li', { class: `timeline-item timeline-${type.replace(/[^a-z0-9_-]/gi, '')}` },
    h('time', { datetime: item.at || '' }, dateTime(item.at)),
    h('span', { class: 'timeline-title' }, title),
    by ? h('span', { class: 'timeline-by' }, by) : null,
    body ? h('p', { class: 'timeline-body prewrap' }, body) : null);
}

function keepDraft(form, key) {
  drafts.restore(form, key);
  drafts.keep(form, key);
}

async function acknowledge(reportId) {
  await api.post(`/reports/${reportId}/feedback`, { kind: 'acknowledgement', message: t('feedback.ack_message') });
  toast(t('feedback.ack_done'));
}

/** ?ack=1 from a notification's action: post at once only when the worker recorded that tap just now. */
async function ackFromNotification(reportId) {
  if (!('caches' in window)) return false;
  const cache = await caches.open('buurtwacht-ack');
  const key = `/ack/reports/${reportId}`;
  const hit = await cache.match(key);
  if (!hit) return false;
  await cache.delete(key);
  return Date.now() - Number(await hit.text()) < ACK_WINDOW_MS;
}

function feedbackForm(report) {
  const form = h('form', { class: 'form', novalidate: true, id: 'feedback-form' },
    field(t('feedback.kind'), select('kind', options('feedback_kind', FEEDBACK_KINDS),
      report.first_feedback_at ? 'update' : 'acknowledgement')),
    field(t('feedback.message'), h('textarea', { name: 'message', rows: 3, required: true, maxlength: 2000 })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('feedback.send')));
  keepDraft(form, `feedback:${report.id}`);
  onSubmit(form, async () => {
    const data = formData(form);
    await api.post(`/reports/${report.id}/feedback`, { kind: data.kind, message: data.message.trim() });
    await drafts.discard(`feedback:${report.id}`);
    toast(t('feedback.sent'));
    await router.render();
  });
  return form;
}

function checkInForm(report) {
  const form = h('form', { class: 'form', novalidate: true, id: 'checkin-form' },
    field(t('checkin.kind'), select('kind', options('checkin_kind', CHECKIN_KINDS), 'doorbell_visit')),
    field(t('checkin.households'), h('input', { name: 'households_reached', type: 'number', min: 0, max: 500, value: 0, inputmode: 'numeric' })),
    field(t('checkin.outcome'), select('outcome', options('checkin_outcome', CHECKIN_OUTCOMES), 'reassured')),
    field(t('checkin.note'), h('textarea', { name: 'note', rows: 3, maxlength: 2000 })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('checkin.send')));
  keepDraft(form, `check-in:${report.id}`);
  onSubmit(form, async () => {
    const data = formData(form);
    await api.post(`/reports/${report.id}/check-ins`, {
      kind: data.kind, households_reached: Number(data.households_reached || 0), outcome: data.outcome,
      note: data.note.trim(),
    });
    await drafts.discard(`check-in:${report.id}`);
    toast(t('checkin.sent'));
    await router.render();
  });
  return form;
}

export async function reportView(ctx) {
  const id = Number(ctx.params.id);
  let result;
  try {
    result = await cache.load(`/reports/${id}`);
  } catch (err) {
    return page(t('report.title'), errorBox(err));
  }
  const report = result.data;
  const group = report.group_id ? await cache.load(`/groups/${report.group_id}`).then((r) => r.data).catch(() => null) : null;
  const mayFeedback = canGiveFeedback(group) || hasRole('professional');
  const notice = h('div', { 'aria-live': 'polite' });

  if (ctx.query.get('ack') === '1' && mayFeedback && !result.stale) {
    history.replaceState(null, '', `/reports/${id}`);
    if (await ackFromNotification(id).catch(() => false)) {
      try {
        await acknowledge(id);
        return reportView({ ...ctx, query: new URLSearchParams() });
      } catch (err) {
        notice.append(errorBox(err));
      }
    }
  }

  const clock = responseClock(report);
  const clockEl = h('p', { class: `clock clock-${clock.state}`, id: 'clock' }, clock.text);
  const timer = setInterval(() => {
    if (!ctx.isCurrent()) return clearInterval(timer);
    const now = responseClock(report);
    clockEl.textContent = now.text;
    clockEl.className = `clock clock-${now.state}`;
    return null;
  }, 20000);

  const count = report.called_112_count || 0;
  const urgentNoCall = report.urgency === 'urgent' && count === 0;
  const timeline = report.timeline || [];
  const isOpen = report.status === 'open' || report.status === 'acknowledged';
  const mine = Boolean(report.mine);

  return page(label('category', report.category),
    staleNote(result),
    notice,
    h('p', { class: 'report-head' },
      report.urgency === 'urgent' ? h('span', { class: 'tag tag-urgent' }, label('urgency', 'urgent')) : h('span', { class: 'tag' }, label('urgency', 'normal')),
      h('span', { class: `tag tag-status-${report.status}` }, label('report_status', report.status)),
      group ? h('a', { href: `/groups/${group.id}` }, group.name) : null),
    clockEl,
    urgentNoCall ? h('div', { class: 'alarm alarm-small' },
      h('p', {}, t('report.reminder_112')), h('a', { href: 'tel:112', class: 'btn btn-112' }, t('report.call_112'))) : null,
    h('div', { class: 'card' },
      h('p', { class: 'prewrap report-description' }, report.description || ''),
      h('dl', { class: 'facts' },
        h('dt', {}, t('report.location')), h('dd', {}, (report.location && report.location.text) || '—'),
        h('dt', {}, t('report.occurred_at')), h('dd', {}, dateTime(report.occurred_at || report.created_at)),
        h('dt', {}, t('report.called_112_count')), h('dd', { id: 'called-112-count' }, String(count)))),
    isOpen && !result.stale && !report.called_112_by_me && !hasRole('professional') ? h('div', { class: 'actions' },
      button(t('report.also_called_112'), async (event) => {
        event.target.disabled = true;
        try {
          await api.post(`/reports/${id}/called-112`);
          toast(t('report.called_112_thanks'));
        } catch (err) {
          if (err.status !== 409) { event.target.disabled = false; throw err; }
          toast(t('report.called_112_already'));
        }
        await router.render();
      }, 'btn btn-112-secondary js-called-112')) : null,
    section(t('report.timeline'), timeline.length
      ? h('ol', { class: 'timeline' }, timeline.map(timelineEntry)) : h('p', { class: 'empty' }, t('report.timeline_empty'))),
    mayFeedback && isOpen && !result.stale ? section(t('feedback.title'),
      !report.first_feedback_at ? button(t('feedback.ack_one_tap'), async (event) => {
        event.target.disabled = true;
        await acknowledge(id).catch((err) => { event.target.disabled = false; toast(err.message); });
        await router.render();
      }, 'btn btn-primary btn-block js-ack') : null,
      feedbackForm(report)) : null,
    canModerate(group) && !result.stale ? section(t('checkin.title'), checkInForm(report)) : null,
    mine && isOpen && !result.stale ? button(t('report.withdraw'), async () => {
      if (!confirm(t('report.withdraw_confirm'))) return;
      await api.post(`/reports/${id}/withdraw`).catch((err) => toast(err.message));
      await router.render();
    }, 'btn btn-quiet') : null,
    canModerate(group) && report.status === 'resolved' && !result.stale ? button(t('report.close'), async () => {
      await api.post(`/reports/${id}/close`).catch((err) => toast(err.message));
      await router.render();
    }, 'btn btn-quiet') : null,
    canModerate(group) && (report.status === 'resolved' || report.status === 'closed') && !result.stale ? button(t('report.reopen'), async () => {
      await api.post(`/reports/${id}/reopen`).catch((err) => toast(err.message));
      await router.render();
    }, 'btn btn-quiet') : null);
}
