// A professional's inbox: open reports of all linked groups, soonest due first, overdue in red.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as router from '../router.js';
import { h } from '../dom.js';
import { ago, responseClock } from '../format.js';
import { label, t } from '../i18n.js';
import { hasRole } from '../session.js';
import { button, empty, errorBox, page, staleNote, toast } from '../ui.js';

export async function inboxView() {
  let result;
  try {
    result = await cache.load('/me/reports', { due: 'soonest' });
  } catch (err) {
    return page(t('inbox.title'), errorBox(err));
  }
  const reports = api.items(result.data);
  return page(t('inbox.title'),
    staleNote(result),
    h('p', { class: 'hint' }, t('inbox.intro')),
    reports.length ? h('ul', { class: 'list inbox' }, reports.map((report) => {
      const clock = responseClock(report);
      const overdue = clock.state === 'late';
      return h('li', { class: ['item', 'item-static', overdue ? 'item-overdue' : '', report.urgency === 'urgent' ? 'item-urgent' : ''] },
        h('a', { href: `/reports/${report.id}`, class: 'item-title' },
          report.urgency === 'urgent' ? h('span', { class: 'tag tag-urgent' }, label('urgency', 'urgent')) : null,
          label('category', report.category)),
        h('span', { class: 'item-meta' }, report.group_name || '', report.group_name ? ' · ' : '', ago(report.created_at),
          report.location && report.location.text ? ` · ${report.location.text}` : ''),
        h('span', { class: `clock clock-${clock.state}` }, clock.text),
        !report.first_feedback_at && !result.stale && hasRole('professional', 'admin') ? h('div', { class: 'actions' },
          button(t('feedback.ack_one_tap'), async (event) => {
            event.target.disabled = true;
            try {
              await api.post(`/reports/${report.id}/feedback`, { kind: 'acknowledgement', message: t('feedback.ack_message') });
              toast(t('feedback.ack_done'));
              await router.render();
            } catch (err) {
              event.target.disabled = false;
              toast(err.message);
            }
          }, 'btn btn-small btn-primary js-ack'),
          h('a', { href: `/reports/${report.id}#feedback-form`, class: 'btn btn-small' }, t('feedback.write'))) : null);
    })) : empty(t('inbox.none')));
}
