// Sign in and create an account.
import * as api from '../api.js';
import * as cache from '../cache.js';
import * as router from '../router.js';
import * as session from '../session.js';
import { checkbox, field, formData, h } from '../dom.js';
import { setLocale, t } from '../i18n.js';
import { onSubmit, page } from '../ui.js';

function nextPath(ctx) {
  const next = ctx.query.get('next') || '/';
  // Only paths inside the app: never an open redirect.
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

async function signIn(email, password, ctx) {
  await api.login(email, password);
  const me = await api.get('/me');
  const before = await session.rememberedUser().catch(() => null);
  // Someone else used this device before: their saved copies and drafts must not show.
  if (before && before.id !== me.id) await cache.clearAll().catch(() => {});
  await setLocale(me.locale);
  await session.setUser(me);
  await router.navigate(nextPath(ctx), { replace: true });
}

export async function loginView(ctx) {
  const form = h('form', { class: 'form', novalidate: true },
    field(t('auth.email'), h('input', { name: 'email', type: 'email', autocomplete: 'username', required: true })),
    field(t('auth.password'), h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.login')));
  onSubmit(form, async () => {
    const data = formData(form);
    await signIn(data.email.trim(), data.password, ctx);
  });
  const registerLink = '/register' + (ctx.query.get('next') ? `?next=${encodeURIComponent(ctx.query.get('next'))}` : '');
  return page(t('auth.login_title'), h('p', { class: 'lead' }, t('auth.tagline')), form,
    h('p', {}, t('auth.no_account'), ' ', h('a', { href: registerLink }, t('auth.register'))));
}

export async function registerView(ctx) {
  const form = h('form', { class: 'form', novalidate: true },
    field(t('auth.display_name'), h('input', { name: 'display_name', autocomplete: 'nickname', required: true, maxlength: 80 }),
      t('auth.display_name_hint')),
    field(t('auth.email'), h('input', { name: 'email', type: 'email', autocomplete: 'email', required: true })),
    field(t('auth.password'), h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, minlength: 10 }),
      t('auth.password_hint')),
    checkbox(t('auth.english'), { name: 'english' }),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('auth.register')));
  onSubmit(form, async () => {
    const data = formData(form);
    const locale = data.english ? 'en' : 'nl';
    await api.request('POST', '/auth/register', {
      email: data.email.trim(), password: data.password, display_name: data.display_name.trim(), locale,
    }, { auth: false });
    await signIn(data.email.trim(), data.password, ctx);
  });
  const loginLink = '/login' + (ctx.query.get('next') ? `?next=${encodeURIComponent(ctx.query.get('next'))}` : '');
  return page(t('auth.register_title'), h('p', { class: 'lead' }, t('auth.tagline')), form,
    h('p', {}, t('auth.have_account'), ' ', h('a', { href: loginLink }, t('auth.login'))));
}
