/**
 * A test CA hierarchy made at test time with src/pki/issue.ts (real keys, real signatures), and
 * helpers to register its anchor and intermediate through the API.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { KeyObject } from 'node:crypto'
import { issueCertificate, issueCrl, type IssueOptions, type Issued, type KeyPair, type NameSpec } from '../../src/pki/issue.ts'
import { generateKey } from './test-keys.ts'
import type { App } from '../../src/http/types.ts'

export const REAL_CERTS = path.resolve(import.meta.dirname, '../fixtures/real-certs')
export const realPem = (name: string) => fs.readFileSync(path.join(REAL_CERTS, `${name}.pem`), 'utf8')

export type Ca = Issued & { key: KeyObject }

export type Hierarchy = { root: Ca; ca: Ca; leafKey: KeyPair }

const YEAR = 365 * 24 * 3600 * 1000
export const day = (iso: string) => new Date(`${iso}T00:00:00Z`)

let sharedLeafKey: KeyPair | null = null
/** One RSA-2048 key for all leaves of a file: certificates differ anyway. */
export function leafKey(): KeyPair {
  sharedLeafKey ??= generateKey({ type: 'rsa', bits: 2048 })
  return sharedLeafKey
}

/** A root and an issuing CA under it (pathLen 0), valid 2010–2045, like the Government CA's. */
export function hierarchy(name = 'Test', opts: { rootNotBefore?: Date; caNotAfter?: Date } = {}): Hierarchy {
  const rootPair = generateKey({ type: 'rsa', bits: 2048 })
  const caPair = generateKey({ type: 'rsa', bits: 2048 })
  const root = issueCertificate({
    subject: [['C', 'VN'], ['O', `Ban Cơ yếu Chính phủ ${name}`], ['CN', `RootCA ${name}`]],
    key: rootPair,
    notBefore: opts.rootNotBefore ?? day('2010-01-01'),
    notAfter: day('2045-01-01'),
    basicConstraints: { cA: true },
    keyUsage: ['keyCertSign', 'cRLSign'],
  })
  const ca = issueCertificate({
    subject: [['C', 'VN'], ['O', `Ban Cơ yếu Chính phủ ${name}`], ['CN', `CA phục vụ các cơ quan Nhà nước ${name}`]],
    key: caPair.publicKey,
    issuer: { cert: root.cert, key: rootPair.privateKey },
    notBefore: day('2010-06-01'),
    notAfter: opts.caNotAfter ?? day('2044-12-31'),
    basicConstraints: { cA: true, pathLen: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
  })
  return { root: { ...root, key: rootPair.privateKey }, ca: { ...ca, key: caPair.privateKey }, leafKey: leafKey() }
}

/** A signing certificate issued by `issuer` (default the hierarchy's issuing CA), valid 2024–2029. */
export function leaf(h: Hierarchy, subject: NameSpec, o: Partial<IssueOptions> & { by?: Ca } = {}): Issued {
  const { by, ...rest } = o
  const issuer = by ?? h.ca
  const notBefore = rest.notBefore ?? day('2024-03-01')
  return issueCertificate({
    subject,
    key: h.leafKey.publicKey,
    issuer: { cert: issuer.cert, key: issuer.key },
    notBefore,
    notAfter: new Date(notBefore.getTime() + 5 * YEAR),
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: ['clientAuth', 'emailProtection'],
    basicConstraints: { cA: false, critical: false },
    ...rest,
  })
}

/** The usual subject of the commune 23221 (Xã Tân Hà, Huyện Đức Linh, Bình Thuận). */
export function tanHaDucLinh(cn = 'Ủy ban nhân dân xã Tân Hà'): NameSpec {
  return [['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Huyện Đức Linh'], ['O', 'UBND tỉnh Bình Thuận'], ['CN', cn]]
}

/** A subject: C=VN, the given attributes, in that order. */
export function subject(...attrs: [string, string][]): NameSpec {
  return [['C', 'VN'], ...attrs]
}

export async function register(app: App, headers: Record<string, string>, url: '/v1/trust-anchors' | '/v1/intermediates', pem: string) {
  return app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/x-pem-file' }, payload: pem })
}

/** Registers the hierarchy's root as a trust anchor (and optionally its CA as an intermediate); fails loudly. */
export async function trust(app: App, admin: Record<string, string>, h: Hierarchy, opts: { intermediate?: boolean } = {}): Promise<void> {
  const res = await register(app, admin, '/v1/trust-anchors', h.root.pem)
  if (res.statusCode !== 201) throw new Error(`trust anchor not registered: ${res.statusCode} ${res.body}`)
  if (opts.intermediate) {
    const r2 = await register(app, admin, '/v1/intermediates', h.ca.pem)
    if (r2.statusCode !== 201) throw new Error(`intermediate not registered: ${r2.statusCode} ${r2.body}`)
  }
}

/** PEM of the leaf followed by its issuing CA, as registrars usually send it. */
export const withChain = (l: Issued, h: Hierarchy) => l.pem + h.ca.pem

export { issueCertificate, issueCrl, generateKey }

/** How many certificates, CA certificates, CRLs and audit entries the database holds (to assert nothing was stored). */
export async function stored(db: import('../../src/db/open.ts').Db) {
  const { sql } = await import('drizzle-orm')
  const { queryRows } = await import('../../src/db/rows.ts')
  const [row] = await queryRows<Record<string, number>>(db, sql`select
    (select count(*)::int from certificates) as certificates,
    (select count(*)::int from ca_certificates) as cas,
    (select count(*)::int from crls) as crls,
    (select count(*)::int from audit_log where action not in ('units.import', 'token.create')) as audits`)
  return { certificates: Number(row.certificates), cas: Number(row.cas), crls: Number(row.crls), audits: Number(row.audits) }
}
