// One catalogue per language; Dutch is the default, English follows the user's `locale`.
// Only Dutch is in the precached shell; English is fetched the first time it is needed (then cached).
import nl from './i18n/nl.js';

const CATALOGUES = { nl };
let lang = 'nl';

export async function setLocale(next) {
  if (next === 'en' && !CATALOGUES.en) {
    try {
      CATALOGUES.en = (await import('./i18n/en.js')).default;
    } catch (err) {
      next = 'nl'; // offline before English was ever loaded: Dutch rather than nothing
    }
  }
  lang = CATALOGUES[next] ? next : 'nl';
  document.documentElement.lang = lang;
}

export function locale() {
  return lang;
}

/** t('clock.waiting', {minutes: 6}) → "wacht op reactie — nog 6 min". */
export function t(key, vars) {
  const text = CATALOGUES[lang][key] ?? nl[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** A label from an enum group, e.g. label('category', 'burglary'); unknown values show as they are. */
export function label(group, value) {
  const key = `${group}.${value}`;
  const text = CATALOGUES[lang][key] ?? nl[key];
  return text ?? String(value ?? '');
}

export function options(group, values) {
  return values.map((v) => [v, label(group, v)]);
}
