// Texts in the language chosen: interface strings, problem and warning sentences.
import { STRINGS, PROBLEMS, WARNINGS, DOC_PROBLEMS, DOC_WARNINGS } from './i18n.js'
import { state } from './state.js'

export function t(key, params = {}) {
  const template = STRINGS[state.lang][key] ?? STRINGS.vi[key] ?? key
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`))
}

export const has = (key) => key in STRINGS[state.lang] || key in STRINGS.vi

/** Like t, but the values may be DOM nodes (e.g. a unit name in bold). */
export function tNodes(key, params = {}) {
  const template = STRINGS[state.lang][key] ?? STRINGS.vi[key] ?? key
  const frag = document.createDocumentFragment()
  template.split(/(\{\w+\})/).forEach((part) => {
    const m = /^\{(\w+)\}$/.exec(part)
    if (!m) { if (part) frag.append(part); return }
    const v = params[m[1]]
    frag.append(v instanceof Node ? v : String(v ?? part))
  })
  return frag
}

export const problemSentence = (code) => PROBLEMS[state.lang][code] ?? PROBLEMS.vi[code] ?? null
export const warningSentence = (code) => WARNINGS[state.lang][code] ?? WARNINGS.vi[code] ?? null
/** A problem or warning on a signature of a signed document: its own sentence, else the certificate one, else null. */
export const documentProblemSentence = (code) => DOC_PROBLEMS[state.lang][code] ?? DOC_PROBLEMS.vi[code] ?? problemSentence(code)
export const documentWarningSentence = (code) => DOC_WARNINGS[state.lang][code] ?? DOC_WARNINGS.vi[code] ?? warningSentence(code)
export const typeName = (type) => (has(`type_${type}`) ? t(`type_${type}`) : type)
