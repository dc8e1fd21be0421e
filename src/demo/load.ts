import crypto from 'node:crypto'
import fs from 'node:fs'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/open.ts'
import { queryRows } from '../db/rows.ts'
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.ts'
import { SEED_FILE } from '../units/seed.ts'
import { importUnits } from '../units/import.ts'
import { inForceOnSql, underSql } from '../units/rules.ts'
import { generateKey, issueCertificate } from '../pki/issue.ts'
import { addCaCertificate } from '../trust/service.ts'
import { registerBatch } from '../certificates/register.ts'
import { importActivity } from '../activity/service.ts'
import { DEFAULT_COST_PER_DOCUMENT_VND } from '../savings/model.ts'
import { DEMO_CA_MARKER } from '../trust/demonstration.ts'

/*
 * The 2017 Bình Thuận demonstration. Everything here is DEMONSTRATION DATA: a CA hierarchy generated on
 * the spot (its names say it is not a real CA; it is registered as a trust anchor in this database only,
 * and its private keys are thrown away), an organisation certificate for each of the province's 127
 * commune-level People's Committees issued over 2017, and monthly signing activity whose per-unit figures
 * are illustrative: the article gives only the totals (100% of communes, over 1.5 billion đồng saved).
 */

export const DEMO_PROVINCE = '60'
export const DEMO_YEAR = 2017
export const DEMO_ROOT_CN = `${DEMO_CA_MARKER} Root CA — not a real CA`
export const DEMO_ISSUING_CN = `${DEMO_CA_MARKER} Issuing CA — not a real CA`
/** The 2017 estimate the activity is sized to with the default parameters: just over 1.5 billion đồng. */
export const DEMO_TARGET_SAVINGS_VND = 1_512_000_000

const ACTOR: Actor = { ...SYSTEM_ACTOR, name: 'kyso demo' }

export type DemoResult = { status: 'loaded' | 'already_loaded'; certificates: number; activityRows: number; documents: number }

type Commune = { code: string; name: string; districtCode: string; districtName: string }

/** The demonstration is on the structure of its year's last day. */
const DEMO_DAY = sql`'2017-12-31'::date`

async function communesOf(db: Db): Promise<Commune[]> {
  return (await queryRows<{ code: string; name: string; district_code: string; district_name: string }>(db, sql`
    select u.code, u.name, u.district_code, d.name as district_name
    from admin_units u join admin_units d on d.code = u.district_code and ${inForceOnSql('d', DEMO_DAY)}
    where ${underSql('u', DEMO_PROVINCE)} and u.level = 'commune' and ${inForceOnSql('u', DEMO_DAY)}
    order by u.district_code, u.code`)).map((r) => ({ code: r.code, name: r.name, districtCode: r.district_code, districtName: r.district_name }))
}

async function demoCertificateCount(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`
    select count(*)::int as n from certificates c join admin_units u on u.id = c.unit_id
    where u.province_code = ${DEMO_PROVINCE} and c.kind = 'organization' and c.issuer_dn like ${`%${DEMO_ISSUING_CN}%`}`)
  return Number(row?.n ?? 0)
}

async function demoAnchorExists(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ca_certificates where subject_dn like ${`%${DEMO_ROOT_CN}%`}`)
  return Number(row?.n ?? 0) > 0
}

/** The day (Vietnam time) commune i of n receives its certificate: spread from 10 January to mid-December 2017. */
export function issueDay(i: number, n: number): Date {
  const start = Date.UTC(2017, 0, 10, 2, 0, 0) // 09:00 +07:00
  return new Date(start + Math.floor((i * 337) / Math.max(1, n - 1)) * 86_400_000)
}

/** A deterministic number in [0, 1) from a text. */
function unitRandom(text: string): number {
  return crypto.createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32
}

/**
 * Monthly documents signed in 2017: each commune signs from the month it received its certificate
 * (pro rata in that month), with a deterministic per-unit level and growth over the year, scaled so that
 * the total × the default cost per document is just over DEMO_TARGET_SAVINGS_VND. Largest remainders
 * make the integers add up exactly.
 */
export function demoActivity(communes: Commune[], costPerDocumentVnd = DEFAULT_COST_PER_DOCUMENT_VND): { unitCode: string; month: string; documents: number }[] {
  const total = Math.ceil(DEMO_TARGET_SAVINGS_VND / costPerDocumentVnd)
  const cells: { unitCode: string; month: string; weight: number }[] = []
  communes.forEach((c, i) => {
    const issued = issueDay(i, communes.length)
    const level = 0.6 + 0.8 * unitRandom(`level:${c.code}`)
    for (let m = issued.getUTCMonth(); m < 12; m++) {
      const daysInMonth = new Date(Date.UTC(2017, m + 1, 0)).getUTCDate()
      const share = m === issued.getUTCMonth() ? (daysInMonth - issued.getUTCDate() + 1) / daysInMonth : 1
      const growth = 1 + m / 11
      const noise = 0.85 + 0.3 * unitRandom(`month:${c.code}:${m}`)
      cells.push({ unitCode: c.code, month: `2017-${String(m + 1).padStart(2, '0')}`, weight: level * share * growth * noise })
    }
  })
  const sum = cells.reduce((s, c) => s + c.weight, 0)
  const exact = cells.map((c) => (c.weight / sum) * total)
  const counts = exact.map(Math.floor)
  let left = total - counts.reduce((s, n) => s + n, 0)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of order) {
    if (left <= 0) break
    counts[i]++
    left--
  }
  return cells.map((c, i) => ({ unitCode: c.unitCode, month: c.month, documents: counts[i] }))
}

/** Lower-cases the unit-type word for the committee's name: `Xã Tân Hà` → `xã Tân Hà`. */
function committeeName(name: string): string {
  return `Ủy ban nhân dân ${name.replace(/^(Thị trấn|Phường|Xã|Đặc khu)/u, (w) => w.toLowerCase())}`
}

/**
 * Loads the demonstration into the database. Idempotent: a second run finds the demonstration and
 * answers `already_loaded` without writing anything. Progress lines go to `log`.
 */
export async function loadDemo(db: Db, log: (line: string) => void = () => {}): Promise<DemoResult> {
  let communes = await communesOf(db)
  if (communes.length !== 127) {
    await importUnits(db, ACTOR, fs.readFileSync(SEED_FILE), 'demo:binh-thuan-2017')
    communes = await communesOf(db)
    log(`Loaded the Bình Thuận units (GSO 60, ${communes.length} commune-level units).`)
  }
  if (await demoAnchorExists(db)) {
    const n = await demoCertificateCount(db)
    if (n >= communes.length) return { status: 'already_loaded', certificates: n, activityRows: 0, documents: 0 }
    throw new Error(`A demonstration CA is registered in this database but only ${n} of ${communes.length} demonstration certificates are: an earlier run was interrupted. Its CA keys are gone, so it cannot be completed; load the demonstration into a fresh database (remove the data folder, or use another DATA_DIR).`)
  }

  // The demonstration CA hierarchy. Its keys live only in this process.
  log('Generating the demonstration CA hierarchy (not a real CA)…')
  const rootKey = generateKey({ type: 'rsa', bits: 2048 })
  const root = issueCertificate({
    subject: [['C', 'VN'], ['O', `${DEMO_CA_MARKER} — demonstration data`], ['CN', DEMO_ROOT_CN]],
    key: rootKey,
    notBefore: new Date('2016-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z'),
    basicConstraints: { cA: true, pathLen: 1 }, keyUsage: ['keyCertSign', 'cRLSign'],
  })
  const issuingKey = generateKey({ type: 'rsa', bits: 2048 })
  const issuing = issueCertificate({
    subject: [['C', 'VN'], ['O', `${DEMO_CA_MARKER} — demonstration data`], ['CN', DEMO_ISSUING_CN]],
    key: issuingKey, issuer: { cert: root.cert, key: rootKey.privateKey },
    notBefore: new Date('2016-06-01T00:00:00Z'), notAfter: new Date('2031-06-01T00:00:00Z'),
    basicConstraints: { cA: true, pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'],
  })
  await addCaCertificate(db, ACTOR, 'anchor', root.pem)
  await addCaCertificate(db, ACTOR, 'intermediate', issuing.pem)
  log(`Registered "${DEMO_ROOT_CN}" as a trust anchor and "${DEMO_ISSUING_CN}" as an intermediate, in this database only.`)

  // One organisation certificate per commune-level People's Committee, issued over 2017, valid five years.
  log(`Issuing ${communes.length} organisation certificates over 2017…`)
  const items = communes.map((c, i) => {
    const notBefore = issueDay(i, communes.length)
    const notAfter = new Date(notBefore)
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 5)
    const leaf = issueCertificate({
      subject: [['C', 'VN'], ['ST', 'Tỉnh Bình Thuận'], ['L', c.districtName], ['O', 'UBND tỉnh Bình Thuận'], ['CN', committeeName(c.name)]],
      key: generateKey({ type: 'ec', curve: 'P-256' }).publicKey,
      issuer: { cert: issuing.cert, key: issuingKey.privateKey },
      notBefore, notAfter,
      basicConstraints: { cA: false }, keyUsage: ['digitalSignature', 'nonRepudiation'],
    })
    return { index: i, certs: [leaf.cert], kind: 'organization' as const, device: 'token' as const }
  })
  // Registered through the same service as POST /v1/certificates/batch, the unit found from the subject.
  let results = await registerBatch(db, ACTOR, items)
  const retry = results.filter((r) => r.status !== 201)
  if (retry.length) {
    // Should the subject not identify a unit, say so and register it with its code (still through the service).
    log(`  ${retry.length} subjects were not matched (${retry.map((r) => `${communes[r.index].code}: ${r.code}`).join(', ')}); registering them by unit code.`)
    const again = await registerBatch(db, ACTOR, retry.map((r) => ({ ...items[r.index], unitCode: communes[r.index].code })))
    results = results.map((r) => again.find((a) => a.index === r.index) ?? r)
  }
  const failed = results.filter((r) => r.status !== 201)
  if (failed.length) throw new Error(`The service refused ${failed.length} demonstration certificates: ${JSON.stringify(failed.slice(0, 3))}`)
  // The subject matching must have found each commune itself.
  const placed = await queryRows<{ id: string; unit_code: string }>(db, sql`
    select id, unit_code from certificates where issuer_dn like ${`%${DEMO_ISSUING_CN}%`}`)
  const unitOf = new Map(placed.map((p) => [p.id, p.unit_code]))
  const misplaced = results.filter((r) => unitOf.get(r.id!) !== communes[r.index].code)
  if (misplaced.length) throw new Error(`${misplaced.length} demonstration certificates were matched to the wrong unit, e.g. ${communes[misplaced[0].index].code} → ${unitOf.get(misplaced[0].id!)}`)

  // Monthly signing activity for 2017, through the same import as POST /v1/activity/import.
  const activity = demoActivity(communes)
  const csv = ['unit_code,month,documents_signed', ...activity.map((a) => `${a.unitCode},${a.month},${a.documents}`)].join('\n') + '\n'
  const imported = await importActivity(db, ACTOR, Buffer.from(csv, 'utf8'))
  const documents = activity.reduce((s, a) => s + a.documents, 0)
  log(`Recorded ${imported.rows} months of signing activity (${documents} documents in 2017; per-unit figures are illustrative).`)
  return { status: 'loaded', certificates: results.length, activityRows: imported.rows, documents }
}
