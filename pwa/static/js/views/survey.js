// The safety survey: a member's open waves (baseline, 3 and 12 months) and the anonymous link for neighbours
// outside the group. One question per screen, every question skippable; texts come from the questionnaire data.
import * as api from '../api.js';
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
 * Walk through the questions one screen at a time. Resolves via `send(answers)` on the last screen; answers of
 * questions that a later change made irrelevant (show_if) are dropped, skipped ones are simply left out.
 */
function flow(questionnaire, send) {
  loadStyles();
  const box = h('div', { class: 'survey', 'aria-live': 'polite' });
  const answers = {};
  let index = -1;
  const visible = () => questionnaire.questions.filter((q) => shown(q, answers));

  const go = (next) => {
    index = next;
    draw();
    const heading = box.querySelector('legend, h2');
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
  };

  function draw() {
    const questions = visible();
    if (index < 0) {
      return replace(box, h('p', {}, say(questionnaire.intro)),
        h('div', { class: 'actions' }, button(t('survey.start'), () => go(0), 'btn btn-primary js-survey-start')));
    }
    if (index >= questions.length) return review(questions);
    const q = questions[index];
    const name = `q-${q.id}`;
    const form = h('form', { class: 'form survey-question' },
      h('p', { class: 'survey-progress' }, t('survey.progress', { n: index + 1, total: questions.length })),
      h('progress', { max: questions.length, value: index, 'aria-hidden': 'true' }),
      h('fieldset', { class: 'fieldset' }, h('legend', {}, say(q.text)),
        options(questionnaire, q).map((opt) => {
          const id = `${name}-${opt.value}`;
          return h('div', { class: 'check' },
            h('input', { type: 'radio', name, id, value: String(opt.value), checked: answers[q.id] === opt.value }),
            h('label', { for: id }, say(opt.text)));
        })),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'btn btn-primary' }, t('survey.next')),
        button(t('survey.skip'), () => { delete answers[q.id]; go(index + 1); }, 'btn btn-quiet js-survey-skip'),
        index > 0 ? button(t('common.back'), () => go(index - 1), 'btn btn-quiet') : null));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const picked = form.querySelector('input:checked');
      if (picked) {
        const opt = options(questionnaire, q).find((o) => String(o.value) === picked.value);
        answers[q.id] = opt.value;
      } else {
        delete answers[q.id];
      }
      go(index + 1);
    });
    return replace(box, form);
  }

  function review(questions) {
    const kept = {};
    questions.forEach((q) => { if (q.id in answers) kept[q.id] = answers[q.id]; });
    const skipped = questions.length - Object.keys(kept).length;
    const send_ = button(t('survey.send'), async () => {
      send_.disabled = true;
      try {
        replace(box, await send(kept));
      } catch (err) {
        status.replaceChildren(errorBox(err));
        send_.disabled = false;
      }
    }, 'btn btn-primary js-survey-send');
    const status = h('div', {});
    replace(box, h('h2', {}, t('survey.ready')),
      h('p', {}, t('survey.answered', { n: Object.keys(kept).length, total: questions.length }),
        skipped ? ' ' + t('survey.skipped', { n: skipped }) : ''),
      status,
      h('div', { class: 'actions' }, send_, button(t('common.back'), () => go(questions.length - 1), 'btn btn-quiet')));
  }

  draw();
  return box;
}

function thanks(text, href) {
  return h('div', {}, h('p', { class: 'notice notice-ok', role: 'status' }, text),
    href ? h('a', { href, class: 'btn' }, t('survey.to_group')) : null);
}

function responseItem(response, after) {
  return h('li', { class: 'item item-static' },
    h('span', { class: 'item-title' }, waveName(response.wave, response.follow_up_month)),
    h('span', { class: 'item-meta' }, dateTime(response.submitted_at),
      response.withdrawn ? ' · ' + t('survey.withdrawn') : ''),
    response.withdrawn ? null : h('div', { class: 'actions' }, button(t('survey.withdraw'), async () => {
      if (!confirm(t('survey.withdraw_confirm'))) return;
      try {
        await api.del(`/surveys/responses/${response.id}`);
        toast(t('survey.withdrawn'));
        after();
      } catch (err) {
        toast(errorText(err));
      }
    }, 'btn btn-small btn-quiet js-survey-withdraw')));
}

function waveName(wave, month) {
  return wave === 'baseline' ? t('survey.wave_baseline') : t('survey.wave_follow_up', { months: month || '' });
}

/** /groups/:id/survey — the member's open wave (right after joining: the baseline, before the reports). */
export async function surveyView(ctx) {
  const id = Number(ctx.params.id);
  const home = `/groups/${id}`;
  const [mine, questionnaire, waiting] = await Promise.all([
    api.get(`/groups/${id}/surveys`),
    api.get('/surveys/questionnaire'),
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
    // No Idempotency-Key on this route: a resend of an answer that did arrive gets 409, which the outbox
    // takes as delivered (one answer per wave), so it is never sent twice.
    const outcome = await outbox.submit('survey', id, `/groups/${id}/surveys`, body, t('survey.title'),
      { conflictMeansSent: true });
    return thanks(outcome.sent ? t('survey.thanks') : t('survey.queued'), home);
  };
  const answered = mine.responses || [];
  const rerender = () => router.render();
  return page(say(questionnaire.title) || t('survey.title'),
    waiting.length ? h('p', { class: 'notice', role: 'status' }, t('survey.queued')) : null,
    wave && !waiting.length
      ? h('div', {}, h('p', { class: 'lead' }, waveName(wave.wave, wave.follow_up_month),
        ' · ', t('survey.open_until', { when: dateTime(wave.closes_at) })), flow(questionnaire, send))
      : h('p', { class: 'empty' }, t('survey.none_open')),
    answered.length ? section(t('survey.mine'),
      h('ul', { class: 'list' }, answered.map((r) => responseItem(r, rerender)))) : null,
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
      onclick: () => { setLocale(other); router.render(); } }, other === 'en' ? 'English' : 'Nederlands')),
    h('p', { class: 'lead' }, t('survey.public_intro', { group: survey.group_name })),
    h('p', { class: 'hint' }, t('survey.public_privacy')),
    flow(questionnaire, send));
}
