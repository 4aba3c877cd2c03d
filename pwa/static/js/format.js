// Dates, times and the response clock, in the user's language.
import { locale, t } from './i18n.js';

const MINUTE = 60000;

function intl() {
  return locale() === 'en' ? 'en-GB' : 'nl-NL';
}

export function dateTime(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(intl(), { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

export function time(value) {
  if (!value) return '';
  return new Date(value).toLocaleTimeString(intl(), { hour: '2-digit', minute: '2-digit' });
}

/** Value for <input type="datetime-local"> in local time. */
export function localInput(date = new Date()) {
  const d = new Date(date.getTime() - date.getTimezoneOffset() * MINUTE);
  return d.toISOString().slice(0, 16);
}

/** A datetime-local value as an aware ISO string. */
export function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : undefined;
}

/**
 * The response clock: "reactie na 4 min", "te laat", or "wacht op reactie — nog 6 min".
 * Computed from the report's own fields so it stays right between server reads.
 */
export function responseClock(report, now = Date.now()) {
  if (report.first_feedback_at) {
    const minutes = report.response_minutes ?? Math.max(0, Math.round(
      (new Date(report.first_feedback_at) - new Date(report.created_at)) / MINUTE));
    return { state: 'answered', text: t('clock.answered', { minutes: Math.round(minutes) }) };
  }
  if (!report.feedback_due_at) return { state: 'none', text: '' };
  const left = new Date(report.feedback_due_at).getTime() - now;
  if (report.feedback_overdue || left <= 0) return { state: 'late', text: t('clock.late') };
  return { state: 'waiting', text: t('clock.waiting', { minutes: Math.max(1, Math.ceil(left / MINUTE)) }) };
}

export function ago(value, now = Date.now()) {
  const minutes = Math.round((now - new Date(value).getTime()) / MINUTE);
  if (minutes < 1) return t('time.just_now');
  if (minutes < 60) return t('time.minutes_ago', { n: minutes });
  return dateTime(value);
}
