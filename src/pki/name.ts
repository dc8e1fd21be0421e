import { T, kids, oidOf, type Node } from './asn1.ts'
import { malformed } from './errors.ts'
import { ATTRIBUTE_NAMES } from './oids.ts'
import { attributeText } from './strings.ts'

export type NameAttribute = { oid: string; type: string; value: string; isString: boolean; rdn: number }

export type ParsedName = { attributes: NameAttribute[]; rdnCount: number; key: string }

/** Walks a Name (SEQUENCE OF SET OF AttributeTypeAndValue), keeping DER order and repeated attributes. */
export function parseName(node: Node, what: string): ParsedName {
  if (node.tagClass !== 0 || node.type !== T.SEQUENCE) throw malformed(`Expected a name in ${what}.`)
  const attributes: NameAttribute[] = []
  const rdns = kids(node, what)
  rdns.forEach((rdn, index) => {
    if (rdn.tagClass !== 0 || rdn.type !== T.SET) throw malformed(`Invalid name component in ${what}.`)
    const atvs = kids(rdn, what)
    if (atvs.length === 0) throw malformed(`Empty name component in ${what}.`)
    for (const atv of atvs) {
      const [typeNode, valueNode, extra] = kids(atv, what)
      if (!valueNode || extra) throw malformed(`Invalid name attribute in ${what}.`)
      const oid = oidOf(typeNode, what)
      const { value, isString } = attributeText(valueNode, what)
      attributes.push({ oid, type: ATTRIBUTE_NAMES[oid] ?? oid, value, isString, rdn: index })
    }
  })
  return { attributes, rdnCount: rdns.length, key: nameKey(attributes) }
}

/**
 * A comparison key in the spirit of RFC 5280 7.1: attribute values compared
 * case-insensitively with whitespace folded, multi-valued RDNs order-free.
 */
export function nameKey(attributes: NameAttribute[]): string {
  const rdns: string[][] = []
  for (const a of attributes) {
    const v = a.isString ? a.value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim() : a.value
    ;(rdns[a.rdn] ??= []).push(`${a.oid}\u0001${v}`)
  }
  return rdns.map((r) => r.sort().join('\u0002')).join('\u0003')
}

/** Keys of each RDN, for directoryName constraint prefix matching. */
export function rdnKeys(attributes: NameAttribute[]): string[] {
  const key = nameKey(attributes)
  return key === '' ? [] : key.split('\u0003')
}

function escapeValue(a: NameAttribute): string {
  if (!a.isString) return a.value
  let v = a.value.replace(/[\\,+"<>;]/g, (c) => '\\' + c).replace(/\0/g, '\\00')
  if (v.startsWith('#') || v.startsWith(' ')) v = '\\' + v
  if (v.endsWith(' ') && v.length > 1) v = v.slice(0, -1) + '\\ '
  return v
}

/** RFC 4514 string: most significant RDN last (reverse of DER order), values escaped. */
export function dnString(attributes: NameAttribute[]): string {
  const rdns: string[][] = []
  for (const a of attributes) (rdns[a.rdn] ??= []).push(`${a.type}=${escapeValue(a)}`)
  return rdns.map((r) => r.join('+')).reverse().join(',')
}

export function subjectRecord(attributes: NameAttribute[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const a of attributes) {
    const prev = out[a.type]
    if (prev === undefined) out[a.type] = a.value
    else if (Array.isArray(prev)) prev.push(a.value)
    else out[a.type] = [prev, a.value]
  }
  return out
}
