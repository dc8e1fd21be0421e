// The registrar token: checked against the API, kept in sessionStorage for this tab, never in the address.
import { $, state, sessionSet, TOKEN_KEY } from './state.js'
import { api } from './api.js'
import { t } from './text.js'

export function renderTokenState() {
  const el = $('token-state')
  el.className = `token-state ${state.tokenMessage === 'tokenInvalid' || state.tokenMessage === 'tokenEmpty' ? 'bad' : state.token ? 'good' : ''}`
  el.textContent = state.tokenMessage ? t(state.tokenMessage) : state.token ? t('tokenSaved') : t('tokenNone')
  $('token-forget').hidden = !state.token
  $('registrar').classList.toggle('has-token', Boolean(state.token))
}

export async function saveToken(event) {
  event.preventDefault()
  const input = $('token')
  const value = input.value.trim()
  if (!value) { state.tokenMessage = 'tokenEmpty'; renderTokenState(); input.focus(); return }
  const previous = state.token
  state.token = value
  const r = await api('/v1/certificates?limit=1', { auth: true })
  if (r.status === 401) {
    state.token = previous
    state.tokenMessage = 'tokenInvalid'
    renderTokenState()
    input.focus()
    return
  }
  sessionSet(TOKEN_KEY, value)
  input.value = ''
  state.tokenMessage = null
  renderTokenState()
}

export function forgetToken() {
  state.token = null
  state.tokenMessage = null
  sessionSet(TOKEN_KEY, null)
  renderTokenState()
  $('token').focus()
}
