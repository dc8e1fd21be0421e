import { T, type Node, reencode } from './asn1.ts'
import { malformed } from './errors.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true })

export const STRING_TYPES = new Set<number>([
  T.UTF8, T.PRINTABLESTRING, 20 /* TeletexString */, T.IA5STRING, T.BMPSTRING, 28 /* UniversalString */,
  26 /* VisibleString */, 18, /* NumericString */
])

/**
 * Decodes a DirectoryString-like value by its ASN.1 type, then NFC.
 * node-forge hands BMPString over already decoded (UTF-16 code units) and every
 * other type as raw bytes in a binary string.
 */
export function decodeString(node: Node, what: string): string {
  const raw = node.value as string
  let text: string
  switch (node.type as number) {
    case T.UTF8:
      try {
        text = utf8.decode(Buffer.from(raw, 'binary'))
      } catch {
        throw malformed(`The ${what} holds text that is not valid UTF-8.`)
      }
      break
    case T.BMPSTRING:
      text = raw
      break
    case 28: {
      const b = Buffer.from(raw, 'binary')
      if (b.length % 4 !== 0) throw malformed(`The ${what} holds an invalid UniversalString.`)
      const cps: number[] = []
      for (let i = 0; i < b.length; i += 4) {
        const cp = b.readUInt32BE(i)
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw malformed(`The ${what} holds an invalid UniversalString.`)
        cps.push(cp)
      }
      text = String.fromCodePoint(...cps)
      break
    }
    default:
      // PrintableString, IA5String, VisibleString, NumericString are ASCII;
      // TeletexString is taken as Latin-1, as OpenSSL does.
      text = raw
  }
  return text.normalize('NFC')
}

/** Text of an attribute value; non-string values get the RFC 4514 "#hex" form. */
export function attributeText(node: Node, what: string): { value: string; isString: boolean } {
  if (node.tagClass === 0 && STRING_TYPES.has(node.type) && !node.constructed) {
    return { value: decodeString(node, what), isString: true }
  }
  return { value: '#' + reencode(node).toString('hex'), isString: false }
}
