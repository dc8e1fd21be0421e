/** A report for a year that has not begun is refused instead of being titled with it and dated today. */
import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { todayVn } from '../../src/lib/dates.ts'

t.test('ministry report: future years are refused, the current year is answered up to today', async (t) => {
  const { app } = await testApp(t)
  const next = Number(todayVn().slice(0, 4)) + 1
  const future = await app.inject({ url: `/v1/reports/ministry?year=${next}` })
  t.equal(future.statusCode, 400, future.body)
  t.match(future.headers['content-type'], /problem\+json/)
  t.match(future.json().detail, /has not begun/)
  const current = await app.inject({ url: `/v1/reports/ministry?year=${next - 1}` })
  t.equal(current.statusCode, 200, current.body.slice(0, 200))
  t.equal(current.json().asOf, todayVn(), 'the current year is taken at today')
})
