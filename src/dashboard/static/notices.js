// Notifications on the dashboard: with a registrar or admin token, the last notices of each subscription,
// and in the expiring list a link from each certificate to the notices sent about it. A module of its own:
// it reads the token the page keeps in sessionStorage and watches the page's own elements, nothing more.
const TOKEN_KEY = 'kyso.registrarToken'
const PER_SUBSCRIPTION = 5

const STRINGS = {
  vi: {
    title: 'Thông báo đã gửi', intro: 'Các thông báo gần nhất của từng đăng ký nhận thông báo (webhook, thư điện tử).',
    none: 'Chưa có đăng ký nhận thông báo nào.', noNotices: 'Chưa gửi thông báo nào.',
    'certificate.expiring': 'Sắp hết hạn', 'coverage.unit_uncovered': 'Mất chứng thư', 'coverage.complete': 'Đủ 100%', digest: 'Tổng hợp',
    delivered: 'đã gửi', pending: 'đang thử lại', failed: 'không gửi được', days: (n) => `trước ${n} ngày`, sent: (n) => `đã báo ${n}`,
    webhook: 'Webhook', email: 'Thư điện tử',
  },
  en: {
    title: 'Notices sent', intro: 'The latest notices of each subscription (webhook, e-mail).',
    none: 'No subscriptions yet.', noNotices: 'Nothing sent yet.',
    'certificate.expiring': 'Expiring', 'coverage.unit_uncovered': 'Uncovered', 'coverage.complete': '100% covered', digest: 'Digest',
    delivered: 'delivered', pending: 'retrying', failed: 'failed', days: (n) => `${n} days before`, sent: (n) => `${n} notice${n === 1 ? '' : 's'}`,
    webhook: 'Webhook', email: 'E-mail',
  },
}

let notices = []
let subscriptions = []
let seq = 0

const lang = () => (document.documentElement.lang === 'en' ? 'en' : 'vi')
const s = (key, ...args) => { const v = STRINGS[lang()][key] ?? key; return typeof v === 'function' ? v(...args) : v }
const token = () => { try { return sessionStorage.getItem(TOKEN_KEY) } catch { return null } }
const when = (iso) => new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso))

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v))
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c))
  return e
}

async function get(path) {
  const res = await fetch(path, { headers: { accept: 'application/json', authorization: `Bearer ${token()}` }, credentials: 'omit' })
  if (!res.ok) throw new Error(String(res.status))
  return (await res.json()).items
}

async function load() {
  const mine = ++seq
  if (!token()) { notices = []; subscriptions = []; render(); return }
  try {
    const [subs, list] = await Promise.all([get('/v1/subscriptions'), get('/v1/notices?limit=500')])
    if (mine !== seq) return
    subscriptions = subs
    notices = list
  } catch {
    if (mine !== seq) return
    subscriptions = []
    notices = []
  }
  render()
}

function describe(n) {
  const days = /^expiry:[^:]+:(\d+)$/.exec(n.key)
  return days ? `${s(n.type)} · ${s('days', Number(days[1]))}` : s(n.type)
}

function render() {
  const box = document.getElementById('notices')
  if (!box) return
  box.hidden = !token()
  const anchored = new Set()
  box.replaceChildren(
    el('h3', { id: 'h-notices' }, s('title')),
    el('p', { class: 'hint' }, s('intro')),
    subscriptions.length
      ? el('ul', { class: 'notice-subscriptions' }, subscriptions.map((sub) => {
          const mine = notices.filter((n) => n.subscriptionId === sub.id).slice(0, PER_SUBSCRIPTION)
          const target = sub.channel === 'webhook' ? new URL(sub.url).host : (sub.addresses ?? []).join(', ')
          return el('li', {},
            el('strong', {}, `${s(sub.channel)} ${target}`), ` (${sub.scope.join(', ')})`,
            mine.length
              ? el('ul', {}, mine.map((n) => {
                  const id = n.certificateId && !anchored.has(n.certificateId) ? `notices-cert-${n.certificateId}` : undefined
                  if (id) anchored.add(n.certificateId)
                  return el('li', { id, class: `notice notice-${n.status}` },
                    `${when(n.deliveredAt ?? n.dueAt)} — ${describe(n)} — ${s(n.status)}`, n.lastError && n.status !== 'delivered' ? ` (${n.lastError})` : null)
                }))
              : el('p', { class: 'empty' }, s('noNotices')))
        }))
      : el('p', { class: 'empty' }, s('none')))
  linkExpiring()
}

/** Adds to each row of the expiring list a link to the notices sent about its certificate. */
function linkExpiring() {
  const counts = new Map()
  for (const n of notices) if (n.certificateId) counts.set(n.certificateId, (counts.get(n.certificateId) ?? 0) + 1)
  for (const row of document.querySelectorAll('#expiring tr[data-certificate]')) {
    row.querySelector('.notice-link')?.remove()
    const n = counts.get(row.getAttribute('data-certificate'))
    if (!n || !token()) continue
    row.firstElementChild?.append(' ', el('a', { class: 'notice-link', href: `#notices-cert-${row.getAttribute('data-certificate')}` }, s('sent', n)))
  }
}

function start() {
  const expiring = document.getElementById('expiring')
  if (expiring) new MutationObserver((changes) => { if (changes.some((c) => c.type === 'childList' && c.target === expiring)) linkExpiring() }).observe(expiring, { childList: true })
  const state = document.getElementById('token-state')
  if (state) new MutationObserver(() => load()).observe(state, { childList: true, characterData: true, subtree: true })
  new MutationObserver(() => render()).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] })
  load()
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start)
else start()
