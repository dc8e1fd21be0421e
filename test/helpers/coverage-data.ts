import crypto from 'node:crypto'
import { certificates } from '../../src/db/schema.ts'
import type { Db } from '../../src/db/open.ts'
import type { TestApp } from './app.ts'
import { versionOn } from '../../src/units/query.ts'
import { dayVn } from '../../src/lib/dates.ts'

/**
 * Certificate rows for coverage tests, inserted directly: coverage reads only unit_code, kind,
 * not_before, not_after and revoked_at. Kept here so that the tests can switch to uploading real
 * certificates through POST /v1/certificates in one place.
 */
export type CertSpec = {
  unitCode: string
  kind?: 'organization' | 'individual'
  notBefore: string | Date
  notAfter: string | Date
  revokedAt?: string | Date | null
}

export async function insertCertificate(db: Db, spec: CertSpec): Promise<string> {
  const der = crypto.randomBytes(64)
  const unit = await versionOn(db, spec.unitCode, dayVn(new Date(spec.notBefore)))
  if (!unit) throw new Error(`no version of ${spec.unitCode} on ${dayVn(new Date(spec.notBefore))}`)
  const [row] = await db.insert(certificates).values({
    fingerprintSha256: crypto.createHash('sha256').update(der).digest('hex'),
    der,
    serialNumber: crypto.randomBytes(8).toString('hex'),
    subject: { CN: `Test ${spec.unitCode}` },
    subjectDn: `CN=Test ${spec.unitCode}`,
    issuerDn: 'CN=Test CA',
    issuerKey: 'test',
    notBefore: new Date(spec.notBefore),
    notAfter: new Date(spec.notAfter),
    unitCode: spec.unitCode,
    unitId: unit.id,
    committeeId: unit.committeeId,
    kind: spec.kind ?? 'organization',
    device: null,
    keyAlgorithm: 'RSA',
    keySize: 2048,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    matchedBy: 'explicit',
    revokedAt: spec.revokedAt ? new Date(spec.revokedAt) : null,
  }).returning({ id: certificates.id })
  return row.id
}

/** Imports units from a hand-written CSV through the API (admin). */
export async function importUnitsCsv(t: TestApp, csv: string): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/units/import', headers: { ...t.auth.admin, 'content-type': 'text/csv' }, payload: csv })
  if (res.statusCode !== 200) throw new Error(`unit import failed: ${res.statusCode} ${res.body}`)
}

/** Imports signing activity from a hand-written CSV through the API (registrar); returns the status. */
export async function importActivityCsv(t: TestApp, csv: string): Promise<number> {
  const res = await t.app.inject({ method: 'POST', url: '/v1/activity/import', headers: { ...t.auth.registrar, 'content-type': 'text/csv' }, payload: csv })
  return res.statusCode
}

/**
 * A small test province, 91, worked out by hand:
 *   911 Huyện Một: 91001 Xã An (xa), 91002 Xã Bình (xa), 91003 Thị trấn Cát (thi_tran)
 *   912 Thành phố Hai: 91004 Phường Dân (phuong), 91005 Phường Én (phuong),
 *                      91006 Xã Gò (xa, exists only until 2017-06-30), 91007 Phường Hoa (phuong, from 2017-07-01)
 */
export const PROVINCE_91 = `code,name,type,level,parent_code,valid_from,valid_to
91,Tỉnh Kiểm Thử,tinh,province,,,
911,Huyện Một,huyen,district,91,,
912,Thành phố Hai,thanh_pho,district,91,,
91001,Xã An,xa,commune,911,,
91002,Xã Bình,xa,commune,911,,
91003,Thị trấn Cát,thi_tran,commune,911,,
91004,Phường Dân,phuong,commune,912,,
91005,Phường Én,phuong,commune,912,,
91006,Xã Gò,xa,commune,912,,2017-06-30
91007,Phường Hoa,phuong,commune,912,2017-07-01,
`
