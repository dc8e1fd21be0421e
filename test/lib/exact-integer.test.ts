import t from 'tap'
import { exactBigInt, sumExact, toExact } from '../../src/lib/exact-integer.ts'

const MAX = 2n ** 53n - 1n

t.test('a number up to 2^53 − 1, a string of digits beyond', async (t) => {
  t.equal(toExact(0n), 0)
  t.equal(toExact(MAX), 9_007_199_254_740_991)
  t.equal(toExact(MAX + 1n), '9007199254740992')
  t.equal(toExact(MAX + 2n), '9007199254740993', 'a digit a double cannot hold')
  t.equal(toExact(-MAX), -9_007_199_254_740_991)
  t.equal(toExact(-MAX - 1n), '-9007199254740992')
  t.equal(toExact(184_467_440_737_095_516_150n), '184467440737095516150')
})

t.test('read back exactly, or refused', async (t) => {
  t.equal(exactBigInt(9_007_199_254_740_991), MAX)
  t.equal(exactBigInt('9007199254740993'), MAX + 2n)
  t.equal(exactBigInt('0'), 0n)
  t.equal(exactBigInt('-12'), -12n)
  t.equal(exactBigInt(7n), 7n)
  for (const v of [2 ** 53, 1.5, Number.NaN, Infinity]) t.throws(() => exactBigInt(v), RangeError, `${v}: a number that is not a safe integer`)
  for (const v of ['', ' 1', '1.0', '1e3', '0x10', '+1', '12a']) t.throws(() => exactBigInt(v), RangeError, `${JSON.stringify(v)}: not decimal digits`)
  for (const v of [MAX, MAX + 1n, 10n ** 30n]) t.equal(exactBigInt(toExact(v)), v, `${v} round-trips`)
})

t.test('sums stay exact past 2^53', async (t) => {
  t.equal(sumExact([]), 0n)
  t.equal(sumExact([9_007_199_254_740_991, 1, '1', 1n]), MAX + 3n, 'where Numbers would give 2^53 + 2 or 2^53')
  t.equal(toExact(sumExact(Array.from({ length: 240 }, () => '2147483647000000000'))), '515396075280000000000')
})
