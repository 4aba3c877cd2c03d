// Group health for moderators, linked professionals and admins; the municipality's overview of every group.
// Charts use uPlot, imported only here and only when a chart is drawn, so it stays out of the app shell.
// Every chart has a table next to it with the same figures (for screen readers and for exact numbers).
import * as api from '../api.js';
import * as cache from '../cache.js';
import { h } from '../dom.js';
import { dateTime } from '../format.js';
import { label, locale, t } from '../i18n.js';
import { canModerate } from '../session.js';
import { errorBox, errorText, page, section, toast } from '../ui.js';
import { surveyLinkMaker } from './moderate.js';
import { loadStyles } from './survey.js';

const SYMBOL = { good: '✓', attention: '!', problem: '✕' };
const MONTHS = [0, 3, 12];
// Figures worth a line under each indicator; the rest of `value` is detail for the CSV export.
const SHOWN = {
  charter: ['complete', 'review_at'],
  moderator_activity: ['check_ins_per_report', 'days_since_last_check_in'],
  professional_feedback: ['target_minutes', 'median_minutes', 'p90_minutes', 'within_target_share', 'waiting_overdue'],
  neighbour_contact: ['help_posts_per_month', 'replies_per_month', 'events_per_month', 'share_of_activity'],
  participation: ['members', 'active_share', 'joins_last_30_days', 'leaves_last_30_days'],
  feeling_of_safety: ['direction', 'cohesion_mean', 'unsafe_share', 'difference_in_differences'],
};

const num = (v, digits = 1) => (v === null || v === undefined ? '—'
  : Number(v).toLocaleString(locale() === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: digits }));
const pct = (v) => (v === null || v === undefined ? '—' : `${num(v * 100, 0)}%`);

function show(key, v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? t('health.yes') : t('health.no');
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  if (key.includes('share')) return pct(v);
  if (key.endsWith('_at')) return new Date(v).toLocaleDateString(locale(), { day: 'numeric', month: 'short', year: 'numeric' });
  if (key === 'direction') return label('health.direction', v);
  return typeof v === 'number' ? num(v, 2) : String(v);
}

export function statusBadge(status) {
  const s = status || 'unknown';
  return h('span', { class: `status status-${s}` }, h('span', { 'aria-hidden': 'true' }, SYMBOL[s] || '?'), ' ',
    label('health.status', s));
}

function indicator(ind) {
  const keys = (SHOWN[ind.key] || []).filter((k) => k in (ind.value || {}));
  return h('li', { class: `indicator indicator-${ind.status || 'unknown'}` },
    h('h3', {}, label('health.indicator', ind.key)), statusBadge(ind.status),
    h('p', { class: 'advice' }, ind.advice || ''),
    keys.length ? h('dl', { class: 'figures' }, keys.map((k) => [h('dt', {}, label('health.value', k)),
      h('dd', {}, show(k, ind.value[k]))])) : null);
}

function table(caption, head, rows) {
  return h('div', { class: 'table-scroll' }, h('table', { class: 'data' }, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((x, i) => (i ? h('td', {}, x) : h('th', { scope: 'row' }, x))))))));
}

let uplot = null;
function loadChartLibrary() {
  if (!document.querySelector('link[data-uplot]')) {
    document.head.appendChild(h('link', { rel: 'stylesheet', href: '/static/vendor/uplot/uPlot.min.css', 'data-uplot': '' }));
  }
  uplot = uplot || import('/static/vendor/uplot/uPlot.esm.js').then((m) => m.default);
  return uplot;
}

/** A chart box drawn once it is on the page (uPlot measures its width); the table carries the same data. */
function chart(title, opts, data) {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': title });
  requestAnimationFrame(async () => {
    try {
      const UPlot = await loadChartLibrary();
      const size = () => ({ width: Math.max(260, Math.min(box.clientWidth || 340, 720)), height: 220 });
      const plot = new UPlot({ legend: { live: false }, ...opts, ...size() }, data, box);
      const onResize = () => {
        if (box.isConnected) return plot.setSize(size());
        removeEventListener('resize', onResize);
        return plot.destroy();
      };
      addEventListener('resize', onResize);
    } catch (err) {
      box.replaceChildren(h('p', { class: 'hint' }, errorText(err)));
    }
  });
  return box;
}

const line = (text, colour, dash) => ({ label: text, stroke: colour, width: 2, dash, points: { show: true, size: 7, fill: colour } });

function responseTimes(ind) {
  const series = (ind && ind.value && ind.value.by_month) || [];
  if (!series.length) return null;
  const target = ind.value.target_minutes;
  const xs = series.map((m) => Date.UTC(Number(m.month.slice(0, 4)), Number(m.month.slice(5, 7)) - 1, 1) / 1000);
  const title = t('health.chart_response');
  return section(title,
    chart(title, {
      scales: { x: { time: true } },
      axes: [{ values: (u, ticks) => ticks.map((s) => new Date(s * 1000).toLocaleDateString(locale(), { month: 'short' })) },
        { label: t('health.minutes') }],
      series: [{}, line(t('health.median'), '#1d5c96'), line(t('health.p90'), '#b3261e', [6, 4]),
        { label: t('health.target'), stroke: '#1b6e3c', width: 2, dash: [2, 4], points: { show: false } }],
    }, [xs, series.map((m) => m.median_minutes), series.map((m) => m.p90_minutes), series.map(() => target)]),
    h('details', { class: 'chart-table' }, h('summary', {}, t('health.as_table')),
      table(title, [t('health.month'), t('health.value.reports'), t('health.median'), t('health.p90'), t('health.value.within_target_share')],
        series.map((m) => [m.month, num(m.reports, 0), num(m.median_minutes), num(m.p90_minutes), pct(m.within_target_share)]))));
}

function cell(results, type, month) {
  return (results.cells || []).find((c) => c.respondent_type === type && c.month === month);
}

const figure = (c, name, pick) => (c && !c.suppressed && c[name] && !c[name].suppressed ? pick(c[name]) : null);

function surveyCharts(results) {
  if (!results) return null;
  const months = MONTHS.filter((m) => cell(results, 'participant', m) || cell(results, 'non_participant', m));
  if (!months.length) return section(t('health.chart_survey'), h('p', { class: 'empty' }, t('health.no_survey')));
  const types = [['participant', '#1d5c96', undefined], ['non_participant', '#8a4b00', [6, 4]]];
  const monthName = (m) => (m ? t('health.after_months', { n: m }) : t('health.at_start'));
  const draw = (title, name, pick, yLabel, range) => chart(title, {
    scales: { x: { time: false, range: [-0.4, months.length - 0.6] }, y: { range } },
    axes: [{ values: (u, ticks) => ticks.map((i) => (months[i] === undefined ? '' : monthName(months[i]))),
      splits: () => months.map((m, i) => i) }, { label: yLabel }],
    series: [{}, ...types.map(([type, colour, dash]) => line(label('health.respondents', type), colour, dash))],
  }, [months.map((m, i) => i), ...types.map(([type]) => months.map((m) => figure(cell(results, type, m), name, pick)))]);
  const tooFew = t('health.too_few');
  const show_ = (c, name, fmt) => (c && !c.suppressed && c[name] && !c[name].suppressed ? fmt(c[name]) : tooFew);
  const rows = months.flatMap((m) => types.map(([type]) => {
    const c = cell(results, type, m);
    return [[monthName(m), h('span', { class: 'sub' }, label('health.respondents', type))],
      c && !c.suppressed ? num(c.respondents, 0) : tooFew,
      show_(c, 'cohesion', (f) => [num(f.mean), h('span', { class: 'sub' }, `${num(f.ci_low)}–${num(f.ci_high)}`)]),
      show_(c, 'unsafe', (f) => pct(f.share))];
  }));
  return section(t('health.chart_survey'),
    h('h3', {}, t('health.value.cohesion_mean')),
    draw(t('health.value.cohesion_mean'), 'cohesion', (f) => f.mean, '0–10', [0, 10]),
    h('h3', {}, t('health.unsafe')),
    draw(t('health.unsafe'), 'unsafe', (f) => Math.round(f.share * 100), '%', [0, 100]),
    h('p', { class: 'hint' }, t('health.suppressed_hint', { n: results.min_cell || 10 })),
    h('details', { class: 'chart-table', open: true }, h('summary', {}, t('health.as_table')),
      table(t('health.chart_survey'), [t('health.wave'), t('health.n'), t('health.cohesion_ci'), t('health.unsafe')], rows)));
}

/** Moderators hand out an anonymous link in the area so neighbours outside the group can be compared. */
function surveyLink(id) {
  return section(t('health.link_title'), h('p', { class: 'hint' }, t('health.link_hint')), surveyLinkMaker(id));
}

/** /groups/:id/health */
export async function healthView(ctx) {
  loadStyles();
  const id = Number(ctx.params.id);
  const [health, results, group] = await Promise.all([
    api.get(`/groups/${id}/health`),
    api.get(`/groups/${id}/survey-results`).catch(() => null),
    cache.load(`/groups/${id}`).then((r) => r.data).catch(() => null),
  ]);
  const feedback = health.indicators.find((i) => i.key === 'professional_feedback');
  return page(t('health.link'),
    h('p', { class: 'lead' }, health.group_name, ' · ', statusBadge(health.status)),
    h('p', { class: 'hint' }, t('health.period', { days: health.period_days }), ' ', dateTime(health.generated_at)),
    h('ul', { class: 'indicators' }, health.indicators.map(indicator)),
    responseTimes(feedback),
    surveyCharts(results),
    group && canModerate(group) && group.status === 'active' ? surveyLink(id) : null,
    h('p', {}, h('a', { href: `/groups/${id}`, class: 'btn' }, t('common.back'))));
}

async function downloadCsv() {
  try {
    const blob = await api.blob('/admin/groups/health?format=csv&sep=;');
    const url = URL.createObjectURL(blob);
    const a = h('a', { href: url, download: 'buurtwacht-groepen-gezondheid.csv', hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (err) {
    toast(errorText(err));
  }
}

/** /admin/health — every group side by side for the municipality, with the CSV for its own analysis. */
export async function adminHealthView(ctx) {
  loadStyles();
  const status = ctx.query.get('status') || '';
  let rows;
  try {
    rows = await api.get('/admin/groups/health', { status });
  } catch (err) {
    return page(t('health.overview'), errorBox(err));
  }
  const keys = Object.keys(SHOWN);
  const filter = h('nav', { class: 'quick', 'aria-label': t('health.filter') },
    ['', 'problem', 'attention', 'good'].map((s) => h('a', { href: s ? `/admin/health?status=${s}` : '/admin/health',
      class: 'btn btn-small', 'aria-current': s === status ? 'page' : null }, s ? label('health.status', s) : t('health.all'))));
  return page(t('health.overview'),
    filter,
    h('p', {}, h('a', { href: '/api/v1/admin/groups/health?format=csv&sep=;', class: 'btn js-health-csv',
      onclick: (e) => { e.preventDefault(); downloadCsv(); } }, t('health.csv'))),
    rows.length ? h('ul', { class: 'list' }, rows.map((g) => h('li', { class: 'item' },
      h('a', { href: `/groups/${g.group_id}/health`, class: 'item-link' },
        h('span', { class: 'item-title' }, g.group_name), statusBadge(g.status),
        h('span', { class: 'item-meta' }, (g.postcodes || []).join(', ')),
        h('ul', { class: 'mini' }, keys.map((k) => {
          const ind = g.indicators.find((i) => i.key === k);
          return h('li', {}, label('health.indicator', k), ': ', statusBadge(ind && ind.status));
        })))))) : h('p', { class: 'empty' }, '—'));
}
