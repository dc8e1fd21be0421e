import { C, T, kids, oidOf, toBuffer, type Node } from './asn1.ts'
import { malformed } from './errors.ts'
import { parseName, type ParsedName } from './name.ts'

export type GeneralName =
  | { kind: 'email' | 'dns' | 'uri'; value: string }
  | { kind: 'ip'; value: Buffer }
  | { kind: 'dn'; value: ParsedName }
  | { kind: 'other'; value: string /* type-id OID */ }
  | { kind: 'x400' | 'edi' | 'rid'; value: string }

const ascii = (node: Node, what: string): string => {
  const s = node.value as string
  // eslint-disable-next-line no-control-regex -- \x00-\x7f is the ASCII range: the test is for any character outside it
  if (typeof s !== 'string' || /[^\x00-\x7f]/.test(s)) throw malformed(`Non-ASCII text in ${what}.`)
  return s
}

export function parseGeneralName(node: Node, what: string): GeneralName {
  if (node.tagClass !== C.CONTEXT_SPECIFIC) throw malformed(`Invalid general name in ${what}.`)
  switch (node.type) {
    case 0: {
      const [typeId] = kids(node, what)
      return { kind: 'other', value: oidOf(typeId, what) }
    }
    case 1: return { kind: 'email', value: ascii(node, what) }
    case 2: return { kind: 'dns', value: ascii(node, what) }
    case 3: return { kind: 'x400', value: '' }
    case 4: {
      const [name, extra] = kids(node, what)
      if (!name || extra) throw malformed(`Invalid directory name in ${what}.`)
      return { kind: 'dn', value: parseName(name, what) }
    }
    case 5: return { kind: 'edi', value: '' }
    case 6: return { kind: 'uri', value: ascii(node, what) }
    case 7: {
      if (typeof node.value !== 'string') throw malformed(`Invalid IP address in ${what}.`)
      return { kind: 'ip', value: toBuffer(node.value) }
    }
    case 8: return { kind: 'rid', value: oidOf({ ...node, tagClass: 0, type: T.OID }, what) }
    default: throw malformed(`Invalid general name in ${what}.`)
  }
}

export function parseGeneralNames(node: Node, what: string): GeneralName[] {
  if (node.tagClass !== 0 || node.type !== T.SEQUENCE) throw malformed(`Expected a list of names in ${what}.`)
  const names = kids(node, what).map((n) => parseGeneralName(n, what))
  if (names.length === 0) throw malformed(`Empty list of names in ${what}.`)
  return names
}
