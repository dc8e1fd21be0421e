const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i

/** RFC 1034 preferred syntax as relaxed by RFC 1123 (digits may lead); no underscore, no empty labels. */
export function isHostname(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false
  const labels = name.split('.')
  // RFC 1123 2.1: the top-level label is alphabetic, so "8.8.8.8" is never a host name.
  return labels.every((l) => LABEL.test(l)) && !/^\d+$/.test(labels[labels.length - 1])
}

/** A dNSName in a certificate: a hostname, optionally with one leading "*." wildcard label. */
export function isDnsName(name: string): boolean {
  return name.startsWith('*.') ? isHostname(name.slice(2)) : isHostname(name)
}

/** An rfc822Name: exactly one "@", a non-empty local part, a hostname after it. */
export function isMailbox(name: string): boolean {
  const at = name.indexOf('@')
  return at > 0 && at === name.lastIndexOf('@') && isHostname(name.slice(at + 1))
}
