// Buurthulp: ask, offer, announce an event; reply, RSVP, accept a reply; moderators hide and unhide.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as drafts from '../drafts.js';
import * as outbox from '../outbox.js';
import * as router from '../router.js';
import { field, formData, h, select } from '../dom.js';
import { dateTime, fromLocalInput } from '../format.js';
import { label, options, t } from '../i18n.js';
import { canModerate, currentUser } from '../session.js';
import { button, errorBox, onSubmit, page, section, staleNote, toast } from '../ui.js';
import { loadGroup } from './group.js';

const KINDS = ['lend_request', 'lend_offer', 'event', 'favour', 'other'];
const LENDING = new Set(['lend_request', 'lend_offer']);

export async function newHelpView(ctx) {
  const groupId = Number(ctx.params.id);
  const group = (await loadGroup(groupId)).data;
  const draftKey = `help:${groupId}`;
  const lending = h('fieldset', { class: 'fieldset' }, h('legend', {}, t('help.lending')),
    field(t('help.item'), h('input', { name: 'item', maxlength: 120 })),
    field(t('help.lend_from'), h('input', { name: 'lend_from', type: 'datetime-local' })),
    field(t('help.lend_until'), h('input', { name: 'lend_until', type: 'datetime-local' })));
  const event = h('fieldset', { class: 'fieldset' }, h('legend', {}, t('help.event')),
    field(t('help.starts_at'), h('input', { name: 'starts_at', type: 'datetime-local' })),
    field(t('help.ends_at'), h('input', { name: 'ends_at', type: 'datetime-local' })),
    field(t('help.place'), h('input', { name: 'place', maxlength: 200 })),
    field(t('help.max_participants'), h('input', { name: 'max_participants', type: 'number', min: 1, inputmode: 'numeric' })));
  const kind = select('kind', options('help_kind', KINDS), ctx.query.get('kind') || 'lend_request');
  const form = h('form', { class: 'form', novalidate: true },
    field(t('help.kind'), kind),
    field(t('help.title_field'), h('input', { name: 'title', required: true, maxlength: 120 })),
    field(t('help.description'), h('textarea', { name: 'description', rows: 4, maxlength: 4000 })),
    lending, event,
    h('button', { type: 'submit', class: 'btn btn-help btn-block' }, t('help.post')));
  const sync = () => {
    lending.hidden = !LENDING.has(kind.value);
    event.hidden = kind.value !== 'event';
    // Hidden fields must not be sent: the API refuses fields of another kind.
    lending.disabled = lending.hidden;
    event.disabled = event.hidden;
  };
  kind.addEventListener('change', sync);
  await drafts.restore(form, draftKey);
  sync();
  drafts.keep(form, draftKey);
  onSubmit(form, async () => {
    const data = formData(form);
    const body = { kind: data.kind, title: data.title.trim(), description: (data.description || '').trim() };
    if (LENDING.has(data.kind)) {
      if (data.item.trim()) body.item = data.item.trim();
      if (data.lend_from) body.lend_from = fromLocalInput(data.lend_from);
      if (data.lend_until) body.lend_until = fromLocalInput(data.lend_until);
    }
    if (data.kind === 'event') {
      if (data.starts_at) body.starts_at = fromLocalInput(data.starts_at);
      if (data.ends_at) body.ends_at = fromLocalInput(data.ends_at);
      if (data.place.trim()) body.place = data.place.trim();
      if (data.max_participants) body.max_participants = Number(data.max_participants);
    }
    const outcome = await outbox.submit('help', groupId, `/groups/${groupId}/help-requests`, body,
      `${label('help_kind', body.kind)}: ${body.title}`);
    await drafts.discard(draftKey);
    if (outcome.sent) {
      toast(t('help.posted'));
      return router.navigate(`/help/${outcome.result.id}`, { replace: true });
    }
    toast(t('outbox.queued'));
    return router.navigate(`/groups/${groupId}`, { replace: true });
  });
  return page(t('help.new_title'), h('p', { class: 'lead' }, group.name), form);
}

async function reasonPrompt(text) {
  const reason = prompt(text);
  return reason && reason.trim() ? reason.trim() : null;
}

function moderationButtons(path, item, mod) {
  if (!mod) return null;
  return item.hidden
    ? button(t('help.unhide'), async () => { await api.post(`${path}/unhide`, {}); await router.render(); }, 'btn btn-small')
    : button(t('help.hide'), async () => {
      const reason = await reasonPrompt(t('help.hide_reason'));
      if (reason) { await api.post(`${path}/hide`, { reason }); await router.render(); }
    }, 'btn btn-small btn-quiet');
}

function flagButton(path) {
  return button(t('help.flag'), async () => {
    const reason = await reasonPrompt(t('help.flag_reason'));
    if (!reason) return;
    await api.post(`${path}/flag`, { reason }).then(() => toast(t('help.flagged'))).catch((err) => toast(err.message));
  }, 'btn btn-small btn-quiet');
}

function hiddenText(item, text) {
  if (text === null || text === undefined) return h('em', { class: 'hidden-text' }, t('help.hidden_placeholder'));
  return text;
}

export async function helpView(ctx) {
  const id = Number(ctx.params.id);
  let result;
  try {
    result = await cache.load(`/help-requests/${id}`);
  } catch (err) {
    return page(t('help.title'), errorBox(err));
  }
  const post = result.data;
  const group = await loadGroup(post.group_id).then((r) => r.data).catch(() => null);
  const me = currentUser();
  const mine = me && post.author && post.author.id === me.id;
  const mod = canModerate(group) && !result.stale;
  const path = `/help-requests/${id}`;
  const live = !result.stale && (post.status === 'open' || post.status === 'arranged');
  const replies = post.replies || [];
  const counts = post.rsvp_counts || {};

  const replyForm = h('form', { class: 'form', novalidate: true },
    field(t('help.reply'), h('textarea', { name: 'body', rows: 3, required: true, maxlength: 2000 })),
    h('button', { type: 'submit', class: 'btn btn-help' }, t('help.send_reply')));
  const replyDraft = `help-reply:${id}`;
  await drafts.restore(replyForm, replyDraft);
  drafts.keep(replyForm, replyDraft);
  onSubmit(replyForm, async () => {
    await api.post(`${path}/replies`, { body: formData(replyForm).body.trim() }, { idempotencyKey: api.newKey() });
    await drafts.discard(replyDraft);
    await router.render();
  });

  const rsvp = post.kind === 'event' && live ? h('div', { class: 'rsvp', role: 'group', 'aria-label': t('help.rsvp') },
    ['going', 'maybe', 'not_going'].map((response) => h('button', {
      type: 'button', class: ['btn', post.my_rsvp === response ? 'btn-primary' : ''], 'aria-pressed': String(post.my_rsvp === response),
      onclick: async () => {
        try {
          await api.put(`${path}/rsvp`, { response });
        } catch (err) {
          toast(err.status === 409 ? t('help.full') : err.message);
        }
        await router.render();
      },
    }, `${label('rsvp', response)} (${counts[response] ?? 0})`))) : null;

  return page(post.title ?? t('help.hidden_placeholder'),
    staleNote(result),
    post.hidden ? h('p', { class: 'notice' }, t('help.is_hidden'), post.hidden_reason ? ` — ${post.hidden_reason}` : '') : null,
    h('p', { class: 'report-head' },
      h('span', { class: 'tag tag-help' }, label('help_kind', post.kind)),
      h('span', { class: 'tag' }, label('help_status', post.status)),
      post.flag_count ? h('span', { class: 'tag tag-flagged' }, t('help.flag_count', { n: post.flag_count })) : null,
      group ? h('a', { href: `/groups/${group.id}` }, group.name) : null),
    h('div', { class: 'card' },
      post.description !== '' ? h('p', { class: 'prewrap' }, hiddenText(post, post.description)) : null,
      h('dl', { class: 'facts' },
        post.author ? [h('dt', {}, t('help.by')), h('dd', {}, post.author.display_name)] : null,
        post.item ? [h('dt', {}, t('help.item')), h('dd', {}, post.item)] : null,
        post.lend_from || post.lend_until ? [h('dt', {}, t('help.period')),
          h('dd', {}, `${dateTime(post.lend_from)} – ${dateTime(post.lend_until)}`)] : null,
        post.starts_at ? [h('dt', {}, t('help.when')), h('dd', {}, `${dateTime(post.starts_at)} – ${dateTime(post.ends_at)}`)] : null,
        post.place ? [h('dt', {}, t('help.place')), h('dd', {}, post.place)] : null,
        post.max_participants ? [h('dt', {}, t('help.places_left')), h('dd', {}, String(post.places_left ?? ''))] : null,
        post.arranged_with ? [h('dt', {}, t('help.arranged_with')), h('dd', {}, post.arranged_with.display_name)] : null)),
    rsvp,
    h('div', { class: 'actions' },
      (mine || mod) && live ? button(t('help.mark_done'), async () => { await api.post(`${path}/done`); await router.render(); }, 'btn btn-small') : null,
      (mine || mod) && post.status === 'arranged' && LENDING.has(post.kind) && !post.returned_at
        ? button(t('help.mark_returned'), async () => { await api.post(`${path}/returned`); await router.render(); }, 'btn btn-small') : null,
      (mine || mod) && live ? button(t('help.cancel'), async () => {
        if (confirm(t('help.cancel_confirm'))) { await api.post(`${path}/cancel`); await router.render(); }
      }, 'btn btn-small btn-quiet') : null,
      !mine && !result.stale ? flagButton(path) : null,
      moderationButtons(path, post, mod)),
    section(t('help.replies'),
      replies.length ? h('ul', { class: 'list replies' }, replies.map((reply) => h('li', { class: ['item', 'item-static', reply.accepted ? 'item-accepted' : ''] },
        h('span', { class: 'item-title' }, reply.author ? reply.author.display_name : ''),
        h('p', { class: 'prewrap' }, hiddenText(reply, reply.body)),
        h('span', { class: 'item-meta' }, dateTime(reply.created_at), reply.accepted ? ` · ${t('help.accepted')}` : '',
          reply.flag_count ? ` · ${t('help.flag_count', { n: reply.flag_count })}` : '', reply.hidden ? ` · ${t('help.is_hidden')}` : ''),
        h('div', { class: 'actions' },
          mine && post.status === 'open' && !reply.accepted && post.kind !== 'event' && !result.stale
            ? button(t('help.accept'), async () => { await api.post(`${path}/replies/${reply.id}/accept`); await router.render(); }, 'btn btn-small btn-help') : null,
          me && reply.author && reply.author.id !== me.id && !result.stale ? flagButton(`${path}/replies/${reply.id}`) : null,
          moderationButtons(`${path}/replies/${reply.id}`, reply, mod)))))
        : h('p', { class: 'empty' }, t('help.no_replies')),
      live ? replyForm : null));
}
