// The dashboard's state, shared by its modules, and the browser storage it keeps (language, token).
export const TOKEN_KEY = 'kyso.registrarToken'
export const LANG_KEY = 'kyso.lang'
/** The province shown when the address names none: the 2017 demonstration's (followed to its successor after it ended). */
export const DEFAULT_PROVINCE = '60'

export const $ = (id) => document.getElementById(id)

function readLang() {
  try { return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'vi' } catch { return 'vi' }
}
export function sessionGet(key) {
  try { return sessionStorage.getItem(key) } catch { return null }
}
export function sessionSet(key, value) {
  try { if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value) } catch { /* storage off: kept in memory only */ }
}
export function saveLang(lang) {
  try { localStorage.setItem(LANG_KEY, lang) } catch { /* no storage: this page only */ }
}

export const state = {
  lang: readLang(),
  province: DEFAULT_PROVINCE,
  /** True when the user (or the address) chose the province; a default that ended is then not followed. */
  provinceChosen: false,
  date: null, // set at start: today in Vietnam, or the address's date
  provinces: [], // in force on `provincesDay`
  provincesDay: null,
  units: new Map(), // code → unit, for the province shown (in force on the date) and units looked up since
  data: null, // { coverage, timeline, savings, date, province }
  ended: null, // { code, name, validTo, successors } when the province chosen is not in force on the date
  followed: null, // { from: {code,name}, to } when the default province ended and its successor is shown
  verdict: null,
  batch: null,
  documents: null, // { rows, sending } of the signed documents checked last, or { needToken }
  activity: null,
  token: sessionGet(TOKEN_KEY),
  tokenMessage: null,
}
