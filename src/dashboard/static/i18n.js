// Strings of the dashboard, Vietnamese (default) and English.
import { VI } from './strings-vi.js'
import { EN } from './strings-en.js'
import { VI_UNITS, EN_UNITS } from './strings-units.js'

export { PROBLEMS, WARNINGS, DOC_PROBLEMS, DOC_WARNINGS } from './problems.js'

export const LOCALES = { vi: 'vi-VN', en: 'en-GB' }

export const STRINGS = { vi: { ...VI, ...VI_UNITS }, en: { ...EN, ...EN_UNITS } }
