// The API client: the only place the page talks to the server.
import { state } from './state.js'

/** One request to the API. Never throws: network failures answer status 0 with code `network`. */
export async function api(path, { method = 'GET', body, type, auth = false } = {}) {
  const headers = { accept: 'application/json' }
  if (auth && state.token) headers.authorization = `Bearer ${state.token}`
  if (type) headers['content-type'] = type
  let res
  try {
    res = await fetch(path, { method, headers, body, credentials: 'omit' })
  } catch (err) {
    return { ok: false, status: 0, body: { code: 'network', detail: String(err && err.message ? err.message : err) } }
  }
  const ct = res.headers.get('content-type') ?? ''
  let data = null
  if (ct.includes('json')) data = await res.json().catch(() => null)
  else await res.text().catch(() => '')
  if (!res.ok && (!data || typeof data.code !== 'string')) data = { code: res.status >= 500 ? 'internal' : 'bad_request', detail: `HTTP ${res.status}` }
  return { ok: res.ok, status: res.status, body: data }
}

export async function mustGet(path) {
  const r = await api(path)
  if (!r.ok) throw Object.assign(new Error(r.body?.detail ?? `HTTP ${r.status}`), { problem: r.body })
  return r.body
}

/** Units by code, looked up on a day when the page does not hold them yet (names in verdicts and lists). */
export async function ensureUnits(codes, day) {
  const missing = [...new Set(codes)].filter((c) => c && !state.units.has(c))
  await Promise.all(missing.map(async (code) => {
    const r = await api(`/v1/units/${encodeURIComponent(code)}${day ? `?asOf=${day}` : ''}`)
    if (r.ok) state.units.set(code, r.body)
  }))
}

export const unitName = (code) => state.units.get(code)?.name ?? code

/** 'Xã Tân Hà (Huyện Đức Linh)': a commune with its district, where it has one. */
export function unitWithDistrict(code) {
  const u = state.units.get(code)
  if (!u) return code
  const parent = u.parentCode ? state.units.get(u.parentCode) : null
  return parent && parent.level !== 'province' ? `${u.name} (${parent.name})` : u.name
}
