// Narrows a bundle's source map to the project's own sources. Node.js decodes every mapping of a bundle's map
// when it loads the bundle with --enable-source-maps; the packages inside are 85 % of them, and decoding them
// cost each start of the server about 0.13 s of CPU. Each stretch of package code keeps one mapping that maps
// nowhere (so that a stack frame in a package shows its place in the bundle rather than the nearest line of
// ours), and the packages' sources leave `sourcesContent`.

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]))

/** The numbers of one segment ("AAgBC" → [0, 0, 16, 1]). */
function decodeSegment(text) {
  const values = []
  let value = 0
  let shift = 0
  for (const c of text) {
    const digit = DIGIT.get(c)
    if (digit === undefined) throw new Error(`source map: "${c}" is not a base64 digit`)
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1)
      value = 0
      shift = 0
    }
  }
  return values
}

function encodeValue(n) {
  let v = n < 0 ? (-n << 1) | 1 : n << 1
  let out = ''
  do {
    let digit = v & 31
    v >>>= 5
    if (v > 0) digit |= 32
    out += BASE64[digit]
  } while (v > 0)
  return out
}

/**
 * `map` (version 3, as esbuild writes it) with mappings only into the sources for which `isOwn(source)` holds.
 * Positions are decoded to absolute values and encoded again relative to the mappings that remain.
 */
export function keepOwnSources(map, isOwn) {
  const own = map.sources.map((s) => isOwn(s))
  // Absolute state while decoding (source, line, column, name carry across lines; column restarts on each).
  let source = 0
  let line = 0
  let column = 0
  let name = 0
  // Last values written, for the relative encoding.
  let wSource = 0
  let wLine = 0
  let wColumn = 0
  let wName = 0
  let unmapped = false
  const lines = map.mappings.split(';').map((text) => {
    let generated = 0
    let wGenerated = 0
    const out = []
    for (const segment of text ? text.split(',') : []) {
      const v = decodeSegment(segment)
      generated += v[0]
      if (v.length > 1) {
        source += v[1]
        line += v[2]
        column += v[3]
        if (v.length === 5) name += v[4]
      }
      if (v.length === 1 || !own[source]) {
        // The first of a stretch that maps nowhere (into a package, or nowhere already) says so; the rest go.
        if (!unmapped) {
          out.push(encodeValue(generated - wGenerated))
          wGenerated = generated
          unmapped = true
        }
        continue
      }
      unmapped = false
      let encoded = encodeValue(generated - wGenerated) + encodeValue(source - wSource) + encodeValue(line - wLine) + encodeValue(column - wColumn)
      if (v.length === 5) {
        encoded += encodeValue(name - wName)
        wName = name
      }
      out.push(encoded)
      wGenerated = generated
      wSource = source
      wLine = line
      wColumn = column
    }
    return out.join(',')
  })
  return {
    ...map,
    // Node.js reads a segment of one number correctly only when a separator follows it.
    mappings: `${lines.join(';')};`,
    ...(map.sourcesContent ? { sourcesContent: map.sourcesContent.map((content, i) => (own[i] ? content : null)) } : {}),
  }
}
