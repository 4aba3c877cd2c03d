// The safety survey: one question per screen, every question skippable, sent later when offline.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as idb from '../idb.js';
import * as outbox from '../outbox.js';
import * as router from '../router.js';
import { h, replace } from '../dom.js';
import { dateTime } from '../format.js';
import { locale, t } from '../i18n.js';
import { button, empty, errorBox, page, section, toast } from '../ui.js';

const text = (pair) => (pair && (pair[locale()] || pair.nl)) || '';

function choices(question, questionnaire) {
  return question.type === 'scale' ? questionnaire.scales[question.scale] || [] : question.options || [];
}

function applies(question, answers) {
  return Object.entries(question.show_if || {}).every(([id, value]) => answers[id] === value);
}

export async function surveyView(ctx) {
  const groupId = Number(ctx.params.id);
  let questionnaire;
  let mine;
  try {
    [questionnaire, mine] = await Promise.all([
      cache.load('/surveys/questionnaire').then((r) => r.data),
      api.get(`/groups/${groupId}/surveys`),
    ]);
  } catch (err) {
    return page(t('survey.title'), errorBox(err));
  }
  const wave = (mine.open || [])[0];
  const earlier = (mine.responses || []).filter((r) => !r.withdrawn);
  const withdrawList = earlier.length ? section(t('survey.earlier'), h('ul', { class: 'list' }, earlier.map((r) =>
    h('li', { class: 'item item-static' }, h('span', { class: 'item-title' }, t(`survey.wave.${r.wave}`)),
      h('span', { class: 'item-meta' }, dateTime(r.submitted_at)),
      button(t('survey.withdraw'), async () => {
        if (!confirm(t('survey.withdraw_confirm'))) return;
        await api.del(`/surveys/responses/${r.id}`);
        toast(t('survey.withdrawn'));
        await router.render();
      }, 'btn btn-small btn-quiet'))))) : null;
  if (!wave) return page(t('survey.title'), empty(t('survey.none')), withdrawList);

  const draftKey = `survey:${groupId}:${wave.wave}`;
  const state = (await idb.get('drafts', draftKey).catch(() => null)) || { step: -1, answers: {} };
  const stage = h('div', { class: 'survey', 'aria-live': 'polite' });
  const save = () => idb.put('drafts', draftKey, state).catch(() => {});
  const questions = () => questionnaire.questions.filter((q) => applies(q, state.answers));

  const finish = async () => {
    const answers = Object.fromEntries(questions().filter((q) => q.id in state.answers).map((q) => [q.id, state.answers[q.id]]));
    const body = { wave: wave.wave, questionnaire_version: questionnaire.version, answers };
    const outcome = await outbox.submit('survey', groupId, `/groups/${groupId}/surveys`, body, t('survey.title'));
    await idb.del('drafts', draftKey).catch(() => {});
    replace(stage, h('p', { class: 'notice notice-ok', role: 'status' }, outcome.sent ? t('survey.thanks') : t('outbox.queued')),
      h('a', { href: `/groups/${groupId}`, class: 'btn' }, t('common.back')));
  };

  const show = () => {
    const list = questions();
    if (state.step < 0) {
      return replace(stage, h('p', { class: 'lead' }, text(questionnaire.intro)),
        h('button', { type: 'button', class: 'btn btn-primary btn-block', onclick: () => { state.step = 0; save(); show(); } },
          t('survey.start')));
    }
    if (state.step >= list.length) return finish().catch((err) => replace(stage, errorBox(err)));
    const question = list[state.step];
    const legendId = `q-${question.id}`;
    const fieldset = h('fieldset', { class: 'fieldset', 'aria-labelledby': legendId },
      h('legend', { id: legendId, class: 'survey-question' }, text(question.text)),
      choices(question, questionnaire).map((option) => {
        const id = `${legendId}-${option.value}`;
        return h('div', { class: 'check' },
          h('input', { type: 'radio', name: question.id, id, value: String(option.value),
            checked: state.answers[question.id] === option.value,
            onchange: () => { state.answers[question.id] = option.value; save(); } }),
          h('label', { for: id }, text(option.text)));
      }));
    const step = (delta, skip) => () => {
      if (skip) delete state.answers[question.id];
      state.step = Math.max(0, state.step + delta);
      save();
      show();
    };
    replace(stage,
      h('p', { class: 'hint' }, t('survey.progress', { n: state.step + 1, total: list.length })),
      fieldset,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-primary', onclick: step(1, false) },
          state.step + 1 === list.length ? t('survey.send') : t('survey.next')),
        h('button', { type: 'button', class: 'btn', onclick: step(1, true) }, t('survey.skip')),
        state.step > 0 ? h('button', { type: 'button', class: 'btn btn-quiet', onclick: step(-1, false) }, t('survey.back')) : null));
    const first = stage.querySelector('input');
    if (first && ctx.isCurrent()) first.focus();
    return null;
  };
  show();
  return page(text(questionnaire.title) || t('survey.title'), h('p', { class: 'hint' }, t('survey.skippable')), stage, withdrawList);
}
