/**
 * Counts and amounts that can outgrow a double (documents × đồng over years and thousands of communes) are
 * computed with BigInt and written as a JSON number while they are safe integers (|n| ≤ 2^53 − 1,
 * Number.MAX_SAFE_INTEGER) and as a string of their decimal digits beyond, so that no reader's JSON parser
 * rounds them: 9007199254740991, then "9007199254740992".
 */
export type ExactInteger = number | string

const MAX = BigInt(Number.MAX_SAFE_INTEGER)
const DIGITS = /^-?[0-9]+$/

/** The JSON form of an integer: a number while it is safe, its decimal digits beyond. */
export function toExact(value: bigint): ExactInteger {
  return value <= MAX && value >= -MAX ? Number(value) : value.toString()
}

/** The integer an ExactInteger (or a SQL numeric read as text) stands for. Refuses what is not one exactly. */
export function exactBigInt(value: ExactInteger | bigint): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`)
    return BigInt(value)
  }
  if (!DIGITS.test(value)) throw new RangeError(`"${value}" is not an integer in decimal digits`)
  return BigInt(value)
}

/** The sum, exact. */
export function sumExact(values: Iterable<ExactInteger | bigint>): bigint {
  let sum = 0n
  for (const v of values) sum += exactBigInt(v)
  return sum
}
