// The Kyso dashboard. Everything it shows comes from the public API (fetch); everything it writes goes
// through the API with the registrar token the user typed in, kept in sessionStorage and never in the URL.
import { $, state, saveLang, DEFAULT_PROVINCE } from './state.js'
import { onDrop, onFilesChosen } from './dom.js'
import { fmtDay, fmtMonth, locale, parseDay, todayVn } from './format.js'
import { t } from './text.js'
import { loadDashboard, pickProvince, readUrl, renderDashboard, renderProvinces } from './load.js'
import { renderTokenState, saveToken, forgetToken } from './token.js'
import { renderActivity, saveActivity } from './activity.js'
import { CERT_FILE, droppedFiles, handleFiles, onRecorded, rerenderUpload } from './upload.js'
import { bindDocuments, renderDocuments } from './documents.js'

function applyStaticTexts() {
  document.documentElement.lang = state.lang
  document.title = t('pageTitle')
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n)
  for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria))
  const lang = $('lang')
  lang.textContent = t('langButton')
  lang.setAttribute('lang', state.lang === 'vi' ? 'en' : 'vi')
  lang.setAttribute('aria-label', t('langButtonLabel'))
}

function setDate(day) {
  state.date = day
  // The default province is taken afresh on the new day (Bình Thuận before 2025-07-01, its successor after).
  if (!state.provinceChosen) { state.province = DEFAULT_PROVINCE; state.followed = null }
  $('date-error').textContent = ''
  $('date').removeAttribute('aria-invalid')
  $('date').value = fmtDay(day)
  if (!$('act-month').value) $('act-month').value = fmtMonth(day.slice(0, 7))
  loadDashboard()
}

function bindControls() {
  $('controls').addEventListener('submit', (e) => {
    e.preventDefault()
    const day = parseDay($('date').value)
    if (!day) {
      $('date').setAttribute('aria-invalid', 'true')
      $('date-error').textContent = t('dateInvalid')
      $('date').focus()
      return
    }
    setDate(day)
  })
  for (const chip of document.querySelectorAll('.chip[data-date]')) {
    chip.addEventListener('click', () => setDate(chip.dataset.date === 'today' ? todayVn() : chip.dataset.date))
  }
  $('province').addEventListener('change', (e) => pickProvince(e.target.value))
  $('lang').addEventListener('click', () => {
    state.lang = state.lang === 'vi' ? 'en' : 'vi'
    saveLang(state.lang)
    applyStaticTexts()
    renderDashboard()
    renderTokenState()
    rerenderUpload()
    renderDocuments()
    renderActivity()
    if ($('date-error').textContent) $('date-error').textContent = t('dateInvalid')
  })
  window.addEventListener('beforeprint', () => {
    $('printed').textContent = t('printedAt', { time: new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()) })
  })
}

function bindRegistrar() {
  $('token-form').addEventListener('submit', saveToken)
  $('token-forget').addEventListener('click', forgetToken)
  $('activity-form').addEventListener('submit', (e) => saveActivity(e, loadDashboard))
  onRecorded(loadDashboard)

  onFilesChosen($('file'), handleFiles)
  onFilesChosen($('folder'), (all) => {
    const files = all.filter((f) => CERT_FILE.test(f.name))
    handleFiles(files, all.length - files.length)
  })
  onDrop($('drop'), (transfer) => droppedFiles(transfer).then(({ files, skipped }) => handleFiles(files, skipped)))
  bindDocuments()
  // A file dropped outside the drop zone must not navigate away from the page.
  window.addEventListener('dragover', (e) => e.preventDefault())
  window.addEventListener('drop', (e) => e.preventDefault())
}

function start() {
  state.date = todayVn()
  readUrl()
  applyStaticTexts()
  renderProvinces()
  renderTokenState()
  $('date').value = fmtDay(state.date)
  $('act-month').value = fmtMonth(state.date.slice(0, 7))
  bindControls()
  bindRegistrar()
  loadDashboard()
}

start()
