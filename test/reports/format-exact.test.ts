/** The report's formatters on integers of any size: numbers up to 2^53 − 1, decimal strings and BigInt beyond. */
import t from 'tap'
import { formatInteger, formatTy, formatVnd } from '../../src/reports/format.ts'
import { headlineSavings } from '../../src/reports/render.ts'

t.test('formatInteger groups every digit', async (t) => {
  t.equal(formatInteger(9_007_199_254_740_991), '9.007.199.254.740.991', '2^53 − 1, a number')
  t.equal(formatInteger('9007199254740993'), '9.007.199.254.740.993', '2^53 + 1, a string: not rounded to …992')
  t.equal(formatInteger(9_007_199_254_740_993n), '9.007.199.254.740.993')
  t.equal(formatInteger('184467440737095516150'), '184.467.440.737.095.516.150')
  t.equal(formatInteger('-1200'), '-1.200')
  t.equal(formatInteger(-1200.7), '-1.200', 'numbers are still truncated')
  t.equal(formatInteger('0'), '0')
  t.throws(() => formatInteger('1.5'), RangeError)
})

t.test('formatTy divides exactly', async (t) => {
  const amount = '1234567890123456789012345' // 25 digits: 1.234.567.890.123.456,789012345 tỷ
  t.equal(formatTy(amount), '1.234.567.890.123.457 tỷ', 'rounded to whole tỷ above 100 tỷ')
  t.equal(formatTy(amount, { decimals: 2 }), '1.234.567.890.123.456,79 tỷ')
  t.equal(formatTy(amount, { decimals: 1, mode: 'floor' }), '1.234.567.890.123.456,7 tỷ')
  t.equal(formatTy(BigInt(amount), { decimals: 9 }), '1.234.567.890.123.456,789012345 tỷ')
  t.equal(formatVnd(amount), '1.234.567.890.123.457 tỷ đồng')
  t.equal(headlineSavings(amount), 'hơn 1.234.567.890.123.456,7 tỷ đồng')
  t.equal(headlineSavings('1234567890123456700000000'), '1.234.567.890.123.456,7 tỷ đồng', 'on the tenth: no "hơn"')
  t.equal(formatTy(9_007_199_254_740_991), '9.007.199 tỷ')
  t.equal(formatTy('9007199254740993', { decimals: 9 }), '9.007.199,254740993 tỷ', 'the digit a double loses')
  t.equal(formatTy(99_994_999_999), '99,99 tỷ')
  t.equal(formatTy(99_995_000_000), '100 tỷ', 'halves round up')
  t.equal(formatTy(1_005_000_000), '1,01 tỷ', 'on the exact amount (the double of 1.005 is just below it)')
  t.equal(formatTy(1_599_999_999, { decimals: 1, mode: 'floor' }), '1,5 tỷ')
  t.equal(formatTy(-1_511_400_000), '-1,51 tỷ')
  t.equal(formatVnd('999999999'), '999.999.999 đồng')
  t.equal(formatVnd(1_000_000_000n), '1 tỷ đồng')
})
