import t from 'tap'
import { testApp } from '../helpers/app.ts'
import { day, hierarchy, leaf, stored, subject, tanHaDucLinh, trust } from '../helpers/pki.ts'
import { parseCertificate } from '../../src/pki/index.ts'
import type { NameSpec } from '../../src/pki/issue.ts'

t.test('listing, reading and revoking', async (t) => {
  const { app, auth, database, token } = await testApp(t)
  const h = hierarchy('List')
  await trust(app, auth.admin, h, { intermediate: true })
  const upload = async (name: NameSpec, query = '', opts: Parameters<typeof leaf>[2] = {}) => {
    const res = await app.inject({ method: 'POST', url: `/v1/certificates${query}`, headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: leaf(h, name, opts).pem })
    if (res.statusCode !== 201) throw new Error(res.body)
    return res.json()
  }
  const tanHa = await upload(tanHaDucLinh())
  const hamTan = await upload(subject(['OU', 'UBND huyện Hàm Tân'], ['CN', 'UBND xã Tân Hà']))
  const old = await upload(subject(['CN', 'UBND phường Mũi Né']), '', { notBefore: day('2015-01-01'), notAfter: day('2020-01-01') })
  const person = await upload(subject(['O', 'UBND phường Mũi Né'], ['CN', 'Trần Thị Hoà']), '?kind=individual')
  const soon = await upload(subject(['CN', 'UBND thị trấn Liên Hương']), '', { notBefore: day('2022-01-01'), notAfter: new Date(Date.now() + 30 * 86400_000) })
  const list = (q: string, who = auth.viewer) => app.inject({ url: `/v1/certificates${q}`, headers: who })
  const ids = async (q: string) => {
    const res = await list(q)
    t.equal(res.statusCode, 200, `${q}: ${res.body.slice(0, 200)}`)
    return res.json().items.map((i: { id: string }) => i.id).sort()
  }

  t.test('filters', async (t) => {
    t.same(await ids(''), [tanHa.id, hamTan.id, old.id, person.id, soon.id].sort(), 'everything')
    t.same(await ids('?unitCode=23221'), [tanHa.id], 'one commune')
    t.same(await ids('?unitCode=601'), [hamTan.id], 'a district includes its communes')
    t.same(await ids('?unitCode=593'), [old.id, person.id].sort(), 'Phan Thiết')
    t.equal((await ids('?unitCode=60')).length, 5, 'the province includes everything')
    t.same(await ids('?kind=individual'), [person.id])
    t.same(await ids('?status=expired'), [old.id])
    t.same(await ids('?status=valid&kind=organization'), [tanHa.id, hamTan.id, soon.id].sort())
    t.same(await ids('?status=not_yet_valid'), [])
    t.same(await ids(`?expiringBefore=${new Date(Date.now() + 60 * 86400_000).toISOString().slice(0, 10)}&status=valid`), [soon.id])
    t.same(await ids('?q=tan ha'), [tanHa.id, hamTan.id].sort(), 'q folds diacritics')
    t.same(await ids('?q=TÂN%20HÀ'), [tanHa.id, hamTan.id].sort(), 'q folds case')
    t.same(await ids(`?q=${encodeURIComponent('Hoà')}`), [person.id], 'q finds a person\'s name')
    t.same(await ids('?q=ham tan'), [hamTan.id])
    t.equal((await list('?status=bogus')).statusCode, 400)
    t.equal((await list('?cursor=nonsense')).statusCode, 400)
    t.equal((await list('?expiringBefore=soon')).statusCode, 400)
    t.equal((await list('', {})).statusCode, 401)
  })

  t.test('keyset paging visits every certificate once', async (t) => {
    for (let i = 0; i < 7; i++) await upload(tanHaDucLinh())
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await list(`?limit=3${cursor ? `&cursor=${cursor}` : ''}`)
      const body = res.json()
      t.ok(body.items.length <= 3)
      seen.push(...body.items.map((i: { id: string }) => i.id))
      cursor = body.nextCursor
      pages++
    } while (cursor && pages < 10)
    t.equal(seen.length, 12)
    t.equal(new Set(seen).size, 12, 'no repeats')
    t.equal(pages, 4)
  })

  t.test('one certificate: JSON, PEM, DER; unknown and invalid ids → 404', async (t) => {
    const json = await app.inject({ url: `/v1/certificates/${tanHa.id}`, headers: auth.viewer })
    t.equal(json.statusCode, 200)
    t.match(json.json(), { id: tanHa.id, unitCode: '23221', status: 'valid' })
    const pem = await app.inject({ url: `/v1/certificates/${tanHa.id}`, headers: { ...auth.viewer, accept: 'application/x-pem-file' } })
    t.equal(pem.statusCode, 200)
    t.match(pem.headers['content-type'], /application\/x-pem-file/)
    t.match(pem.body, /^-----BEGIN CERTIFICATE-----\n/)
    const der = await app.inject({ url: `/v1/certificates/${tanHa.id}`, headers: { ...auth.viewer, accept: 'application/pkix-cert' } })
    t.equal(parseCertificate(der.rawPayload).fingerprintSha256, tanHa.fingerprintSha256, 'the DER is the recorded one')
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', '1']) {
      const res = await app.inject({ url: `/v1/certificates/${id}`, headers: auth.viewer })
      t.equal(res.statusCode, 404, id)
      t.equal(res.json().code, 'not_found')
    }
  })

  t.test('revocation', async (t) => {
    const url = `/v1/certificates/${hamTan.id}/revocation`
    const body = { revokedAt: '2025-06-01T00:00:00Z', reason: 'keyCompromise' }
    const viewer = await app.inject({ method: 'POST', url, headers: auth.viewer, payload: body })
    t.equal(viewer.statusCode, 403)
    const outOfScope = await app.inject({ method: 'POST', url, headers: await token('registrar', ['600']), payload: body })
    t.equal(outOfScope.statusCode, 403)
    t.equal(outOfScope.json().code, 'forbidden')
    const missing = await app.inject({ method: 'POST', url: '/v1/certificates/00000000-0000-4000-8000-000000000000/revocation', headers: auth.registrar, payload: body })
    t.equal(missing.statusCode, 404)
    const before = await stored(database.db)
    const res = await app.inject({ method: 'POST', url, headers: await token('registrar', ['601']), payload: body })
    t.equal(res.statusCode, 200, res.body)
    t.match(res.json(), { id: hamTan.id, status: 'revoked', revokedAt: '2025-06-01T00:00:00.000Z', revocationReason: 'keyCompromise' })
    t.equal((await stored(database.db)).audits, before.audits + 1, 'audited')
    const again = await app.inject({ method: 'POST', url, headers: auth.registrar, payload: { reason: 'superseded' } })
    t.equal(again.statusCode, 409)
    t.match(again.json(), { code: 'duplicate', existingId: hamTan.id })
    t.same(await ids('?status=revoked'), [hamTan.id])
    t.notOk((await ids('?status=valid')).includes(hamTan.id))

    const future = await app.inject({ method: 'POST', url: `/v1/certificates/${soon.id}/revocation`, headers: auth.registrar, payload: { revokedAt: '2099-01-01' } })
    t.equal(future.statusCode, 422, 'a planned revocation is not a revocation')
    t.equal(future.json().problems[0].code, 'revocation_date')
    const onDay = await app.inject({ method: 'POST', url: `/v1/certificates/${soon.id}/revocation`, headers: auth.registrar, payload: { revokedAt: '2023-01-01' } })
    t.equal(onDay.statusCode, 200, onDay.body)
    t.equal(onDay.json().revokedAt, '2022-12-31T17:00:00.000Z', 'a day means its start in Vietnam time')
  })
})

t.test('revocation with an empty body revokes from now', async (t) => {
  const { app, auth } = await testApp(t)
  const h = hierarchy('Rev')
  await trust(app, auth.admin, h)
  const created = await app.inject({ method: 'POST', url: '/v1/certificates', headers: { ...auth.registrar, 'content-type': 'application/x-pem-file' }, payload: h.ca.pem + leaf(h, tanHaDucLinh()).pem })
  t.equal(created.statusCode, 201, 'the leaf is found even after its CA in the upload')
  const res = await app.inject({ method: 'POST', url: `/v1/certificates/${created.json().id}/revocation`, headers: auth.registrar, payload: {} })
  t.equal(res.statusCode, 200, res.body)
  t.match(res.json(), { status: 'revoked', revocationReason: 'unspecified' })
})
