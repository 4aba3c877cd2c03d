// The safety survey: a member's open waves (baseline, 3 and 12 months) and the anonymous link for neighbours
// outside the group. One question per screen, every question skippable; texts come from the questionnaire data.
// Loaded on first use (app.js), so it is not part of the precached shell.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as idb from '../idb.js';
import * as outbox from '../outbox.js';
import * as router from '../router.js';
import { h, replace } from '../dom.js';
import { dateTime } from '../format.js';
import { locale, setLocale, t } from '../i18n.js';
import { button, errorBox, errorText, page, section, toast } from '../ui.js';

const DEVICE_KEY = 'buurtwacht-survey-device';

export function loadStyles() {
  if (document.querySelector('link[data-insights]')) return;
  document.head.appendChild(h('link', { rel: 'stylesheet', href: '/static/css/insights.css', 'data-insights': '' }));
}

const say = (texts) => (texts && (texts[locale()] || texts.nl)) || '';

function shown(question, answers) {
  return Object.entries(question.show_if || {}).every(([id, value]) => answers[id] === value);
}

function options(questionnaire, question) {
  return question.type === 'scale' ? questionnaire.scales[question.scale] || [] : question.options || [];
}

/**
 * Walk through the questions one screen at a time; the last one sends. `send(answers)` resolves to the node to
 * show instead. Answers to questions a later change made irrelevant (show_if) are dropped, skipped ones left out.
 * With `draftKey` the progress is kept on the device, so closing the app loses nothing.
 */
async function flow(questionnaire, send, draftKey) {
  loadStyles();
  const saved = draftKey ? await idb.get('drafts', draftKey).catch(() => null) : null;
  const state = saved || { index: -1, answers: {} };
  const box = h('div', { class: 'survey', 'aria-live': 'polite' });
  const visible = () => questionnaire.questions.filter((q) => shown(q, state.answers));
  const save = () => (draftKey ? idb.put('drafts', draftKey, state).catch(() => {}) : null);

  const go = (next) => {
    state.index = next;
    save();
    draw();
    const heading = box.querySelector('legend');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
  };

  async function finish(form, status) {
    // One send per tap: a second tap while the first is on its way would queue a second answer.
    form.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    const kept = {};
    visible().forEach((q) => { if (q.id in state.answers) kept[q.id] = state.answers[q.id]; });
    try {
      const done = await send(kept);
      if (draftKey) await idb.del('drafts', draftKey).catch(() => {});
      replace(box, done);
    } catch (err) {
      state.index -= 1;
      form.querySelectorAll('button').forEach((b) => { b.disabled = false; });
      replace(status, errorBox(err));
    }
  }

  function draw() {
    const questions = visible();
    if (state.index < 0) {
      return replace(box, h('p', { class: 'lead' }, say(questionnaire.intro)),
        h('div', { class: 'actions' }, button(t('survey.start'), () => go(0), 'btn btn-primary js-survey-start')));
    }
    const index = Math.min(state.index, questions.length - 1);
    const q = questions[index];
    const last = index === questions.length - 1;
    const name = `q-${q.id}`;
    const status = h('div', {});
    const next = (skip) => {
      if (skip) delete state.answers[q.id];
      if (!last) return go(index + 1);
      state.index = questions.length;
      return finish(form, status);
    };
    const form = h('form', { class: 'form survey-question' },
      h('p', { class: 'hint survey-progress' }, t('survey.progress', { n: index + 1, total: questions.length })),
      h('progress', { max: questions.length, value: index, 'aria-hidden': 'true' }),
      h('fieldset', { class: 'fieldset' }, h('legend', {}, say(q.text)),
        options(questionnaire, q).map((opt) => {
          const id = `${name}-${opt.value}`;
          return h('div', { class: 'check' },
            h('input', { type: 'radio', name, id, value: String(opt.value), checked: state.answers[q.id] === opt.value,
              onchange: () => { state.answers[q.id] = opt.value; save(); } }),
            h('label', { for: id }, say(opt.text)));
        })),
      status,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, last ? t('survey.send') : t('survey.next')),
        button(t('survey.skip'), () => next(true), 'btn js-survey-skip'),
        index > 0 ? button(t('survey.back'), () => go(index - 1), 'btn btn-quiet') : null));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!form.querySelector('input:checked')) delete state.answers[q.id];
      next(false);
    });
    return replace(box, form);
  }

  draw();
  return box;
}

function thanks(text) {
  return h('p', { class: 'notice notice-ok', role: 'status' }, text);
}

function waveName(wave, month) {
  return wave === 'baseline' ? t('survey.wave.baseline') : t('survey.wave_follow_up', { months: month || '' });
}

function responseItem(response) {
  return h('li', { class: 'item item-static' },
    h('span', { class: 'item-title' }, waveName(response.wave, response.follow_up_month)),
    h('span', { class: 'item-meta' }, dateTime(response.submitted_at),
      response.withdrawn ? ' · ' + t('survey.withdrawn') : ''),
    response.withdrawn ? null : h('div', { class: 'actions' }, button(t('survey.withdraw'), async () => {
      if (!confirm(t('survey.withdraw_confirm'))) return;
      try {
        await api.del(`/surveys/responses/${response.id}`);
        toast(t('survey.withdrawn'));
        router.render();
      } catch (err) {
        toast(errorText(err));
      }
    }, 'btn btn-small btn-quiet js-survey-withdraw')));
}

/** /groups/:id/survey — the member's open wave (right after joining: the baseline, before the reports). */
export async function surveyView(ctx) {
  const id = Number(ctx.params.id);
  const home = `/groups/${id}`;
  const [mine, questionnaire, waiting] = await Promise.all([
    api.get(`/groups/${id}/surveys`),
    cache.load('/surveys/questionnaire').then((r) => r.data),
    outbox.entries({ groupId: id, kind: 'survey' }).catch(() => []),
  ]);
  const wave = mine.open[0];
  if (!wave && ctx.query.get('start')) {
    // Straight after joining with nothing to ask: on to the group.
    queueMicrotask(() => router.navigate(home, { replace: true }));
    return null;
  }
  const send = async (answers) => {
    const body = { wave: wave.wave, questionnaire_version: questionnaire.version, answers };
    // No Idempotency-Key on this route: a resend of an answer that did arrive gets 409, which the outbox takes
    // as delivered for surveys (one answer per wave), so it is never stored twice.
    const outcome = await outbox.submit('survey', id, `/groups/${id}/surveys`, body, t('survey.title'));
    return thanks(outcome.sent ? t('survey.thanks') : t('survey.queued'));
  };
  const answered = mine.responses || [];
  return page(say(questionnaire.title) || t('survey.title'),
    waiting.length ? h('p', { class: 'notice', role: 'status' }, t('survey.queued')) : null,
    wave && !waiting.length
      ? h('div', {}, h('p', { class: 'lead' }, waveName(wave.wave, wave.follow_up_month),
        ' · ', t('survey.open_until', { when: dateTime(wave.closes_at) })),
      h('p', { class: 'hint' }, t('survey.skippable')),
      await flow(questionnaire, send, `survey:${id}:${wave.wave}:${wave.follow_up_month || 0}`))
      : h('p', { class: 'empty' }, t('survey.none')),
    answered.length ? section(t('survey.earlier'), h('ul', { class: 'list' }, answered.map(responseItem))) : null,
    h('p', {}, h('a', { href: home, class: 'btn' }, t('survey.to_group'))));
}

function deviceToken() {
  let token = localStorage.getItem(DEVICE_KEY);
  if (!token) {
    token = api.newKey().replace(/-/g, '') + api.newKey().replace(/-/g, '');
    localStorage.setItem(DEVICE_KEY, token);
  }
  return token;
}

/** /survey/:token — neighbours outside the group, no account: only a random device token goes along. */
export async function publicSurveyView(ctx) {
  const path = `/surveys/public/${encodeURIComponent(ctx.params.token)}`;
  let survey;
  try {
    survey = await api.request('GET', path, undefined, { auth: false });
  } catch (err) {
    return page(t('survey.title'), h('p', { class: 'notice notice-error', role: 'alert' },
      err.status === 404 ? t('survey.link_gone') : errorText(err)));
  }
  const questionnaire = survey.questionnaire;
  const send = async (answers) => {
    try {
      await api.request('POST', path, { device_token: deviceToken(), questionnaire_version: questionnaire.version, answers },
        { auth: false });
    } catch (err) {
      if (err.status === 409) return h('p', { class: 'notice notice-error', role: 'alert' }, t('survey.device_done'));
      throw err;
    }
    return thanks(t('survey.thanks'));
  };
  // No account, so no language setting: neighbours who read English better can switch here.
  const other = locale() === 'en' ? 'nl' : 'en';
  return page(say(questionnaire.title),
    h('p', {}, h('button', { type: 'button', class: 'btn btn-small btn-quiet', lang: other,
      onclick: async () => { await setLocale(other); router.render(); } }, other === 'en' ? 'English' : 'Nederlands')),
    h('p', { class: 'lead' }, t('survey.public_intro', { group: survey.group_name })),
    h('p', { class: 'hint' }, t('survey.public_privacy')),
    await flow(questionnaire, send));
}
