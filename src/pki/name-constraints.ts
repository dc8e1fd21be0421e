import { detailsOf, type Certificate } from './certificate.ts'
import type { NameConstraints } from './extensions.ts'
import type { GeneralName } from './general-name.ts'
import { rdnKeys } from './name.ts'
import { isDnsName, isHostname, isMailbox } from './name-syntax.ts'
import { OID_EMAIL_ADDRESS } from './oids.ts'

/** More comparisons than this and the constraints are refused: crafted certificates can make checking quadratic. */
const MAX_COMPARISONS = 1 << 16

function contiguousMask(mask: Buffer): boolean {
  let seenZero = false
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = (byte >> bit) & 1
      if (one && seenZero) return false
      if (!one) seenZero = true
    }
  }
  return true
}

/** Why a constraint itself is malformed, or null. */
export function constraintError(c: GeneralName): string | null {
  switch (c.kind) {
    case 'dns':
      return c.value === '' || isHostname(c.value) ? null : `the DNS name constraint "${c.value}" is not a valid domain`
    case 'email':
      if (c.value.includes('@')) return isMailbox(c.value) ? null : `the e-mail constraint "${c.value}" is not a valid address`
      return isHostname(c.value.startsWith('.') ? c.value.slice(1) : c.value) ? null : `the e-mail constraint "${c.value}" is not a valid domain`
    case 'ip':
      if (c.value.length !== 8 && c.value.length !== 32) return 'an IP address constraint has the wrong length'
      return contiguousMask(c.value.subarray(c.value.length / 2)) ? null : 'an IP address constraint has a non-contiguous mask'
    default:
      return null
  }
}

function dnsWithin(name: string, c: string): boolean {
  if (c === '') return true
  return name === c || name.endsWith('.' + c)
}

function emailWithin(name: string, c: string): boolean {
  const at = name.lastIndexOf('@')
  const host = name.slice(at + 1).toLowerCase()
  if (c.includes('@')) {
    const cat = c.lastIndexOf('@')
    return name.slice(0, at) === c.slice(0, cat) && host === c.slice(cat + 1).toLowerCase()
  }
  const lc = c.toLowerCase()
  return lc.startsWith('.') ? host.endsWith(lc) : host === lc
}

function ipWithin(ip: Buffer, c: Buffer): boolean {
  const half = c.length / 2
  if (ip.length !== half) return false
  for (let i = 0; i < half; i++) if ((ip[i] & c[half + i]) !== (c[i] & c[half + i])) return false
  return true
}

function dnWithin(name: string[], c: string[]): boolean {
  return c.length <= name.length && c.every((r, i) => r === name[i])
}

type Name = { kind: string; dns?: string; text?: string; ip?: Buffer; rdns?: string[] }

function within(n: Name, c: GeneralName): boolean {
  switch (c.kind) {
    case 'dns': return dnsWithin(n.dns!, c.value.toLowerCase())
    case 'email': return emailWithin(n.text!, c.value)
    case 'ip': return ipWithin(n.ip!, c.value)
    case 'dn': return dnWithin(n.rdns!, rdnKeys(c.value.attributes))
    default: return false
  }
}

/**
 * A wildcard name could stand for a name inside an excluded subtree even when the
 * literal text does not match it ("*.example.com" against "bar.example.com").
 */
function mayCover(n: Name, c: GeneralName): boolean {
  if (c.kind !== 'dns' || !n.dns?.startsWith('*.')) return false
  const base = n.dns.slice(2)
  const lc = c.value.toLowerCase()
  return lc === '' || dnsWithin(lc, base) || dnsWithin(base, lc)
}

function namesOf(cert: Certificate): Name[] {
  const d = detailsOf(cert)
  const out: Name[] = []
  if (d.subjectName.attributes.length > 0) out.push({ kind: 'dn', rdns: rdnKeys(d.subjectName.attributes) })
  for (const a of d.subjectName.attributes) if (a.oid === OID_EMAIL_ADDRESS) out.push({ kind: 'email', text: a.value })
  for (const g of d.subjectAltName ?? []) {
    if (g.kind === 'dns') out.push({ kind: 'dns', dns: g.value.toLowerCase() })
    else if (g.kind === 'email') out.push({ kind: 'email', text: g.value })
    else if (g.kind === 'ip') out.push({ kind: 'ip', ip: g.value })
    else if (g.kind === 'dn') out.push({ kind: 'dn', rdns: rdnKeys(g.value.attributes) })
    else out.push({ kind: g.kind })
  }
  return out
}

/** Checks one certificate's names against one CA's constraints; returns why they fail, or null. */
export function nameConstraintViolation(nc: NameConstraints, cert: Certificate): string | null {
  for (const c of [...nc.permitted, ...nc.excluded]) {
    const err = constraintError(c)
    if (err) return err
  }
  const names = namesOf(cert)
  if (names.length * (nc.permitted.length + nc.excluded.length) > MAX_COMPARISONS) {
    return 'there are too many names and constraints to compare'
  }
  for (const n of names) {
    const permitted = nc.permitted.filter((c) => c.kind === n.kind)
    const excluded = nc.excluded.filter((c) => c.kind === n.kind)
    if (permitted.length === 0 && excluded.length === 0) continue
    if (!['dns', 'email', 'ip', 'dn'].includes(n.kind)) return `it has a name of a type (${n.kind}) whose constraints this verifier cannot evaluate`
    if (n.kind === 'dns' && !isDnsName(n.dns!)) return `the DNS name "${n.dns}" is not well formed`
    if (n.kind === 'email' && !isMailbox(n.text!)) return `the e-mail address "${n.text}" is not well formed`
    if (n.kind === 'ip' && n.ip!.length !== 4 && n.ip!.length !== 16) return 'an IP address has the wrong length'
    const shown = n.dns ?? n.text ?? (n.ip ? 'an IP address' : 'its name')
    for (const c of excluded) {
      if (within(n, c) || mayCover(n, c)) return `${shown} is in an excluded subtree`
    }
    if (permitted.length > 0 && !permitted.some((c) => within(n, c))) return `${shown} is outside the permitted subtrees`
  }
  return null
}
