import { sql } from 'drizzle-orm'
import {
  pgTable, text, integer, timestamp, date, jsonb, uuid, bigserial, customType, index, uniqueIndex, primaryKey, check,
} from 'drizzle-orm/pg-core'

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
})

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' })

export const adminUnits = pgTable('admin_units', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  /** The name folded for search and matching: see units/names.ts. */
  nameKey: text('name_key').notNull(),
  /** The name without its unit-type word, folded the same way. */
  bareKey: text('bare_key').notNull(),
  type: text('type').notNull(),
  level: text('level').notNull(),
  parentCode: text('parent_code'),
  /** Denormalised ancestors, recomputed after every import; they make coverage and scope checks single-table filters. */
  districtCode: text('district_code'),
  provinceCode: text('province_code'),
  validFrom: date('valid_from', { mode: 'string' }),
  validTo: date('valid_to', { mode: 'string' }),
}, (t) => [
  index('admin_units_parent_idx').on(t.parentCode),
  index('admin_units_district_idx').on(t.districtCode),
  index('admin_units_province_level_idx').on(t.provinceCode, t.level),
  index('admin_units_bare_key_idx').on(t.bareKey),
  check('admin_units_level_check', sql`${t.level} in ('province','district','commune')`),
])

export const apiTokens = pgTable('api_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  role: text('role').notNull(),
  scope: text('scope').array(),
  tokenHash: text('token_hash').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
  revokedAt: tstz('revoked_at'),
}, (t) => [
  uniqueIndex('api_tokens_hash_idx').on(t.tokenHash),
  check('api_tokens_role_check', sql`${t.role} in ('admin','registrar','viewer')`),
])

export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: tstz('at').notNull().defaultNow(),
  actorId: uuid('actor_id'),
  actorName: text('actor_name').notNull(),
  action: text('action').notNull(),
  entityType: text('entity_type').notNull(),
  entityId: text('entity_id'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
})

/** Trust anchors and registered intermediate CAs. */
export const caCertificates = pgTable('ca_certificates', {
  id: uuid('id').primaryKey().defaultRandom(),
  role: text('role').notNull(),
  fingerprintSha256: text('fingerprint_sha256').notNull(),
  der: bytea('der').notNull(),
  subjectDn: text('subject_dn').notNull(),
  issuerDn: text('issuer_dn').notNull(),
  notBefore: tstz('not_before').notNull(),
  notAfter: tstz('not_after').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('ca_certificates_fingerprint_idx').on(t.fingerprintSha256),
  check('ca_certificates_role_check', sql`${t.role} in ('anchor','intermediate')`),
])

export const certificates = pgTable('certificates', {
  id: uuid('id').primaryKey().defaultRandom(),
  fingerprintSha256: text('fingerprint_sha256').notNull(),
  der: bytea('der').notNull(),
  serialNumber: text('serial_number').notNull(),
  subject: jsonb('subject').$type<Record<string, string | string[]>>().notNull(),
  subjectDn: text('subject_dn').notNull(),
  issuerDn: text('issuer_dn').notNull(),
  /** SHA-256 of the issuer Name DER: with the serial it identifies the certificate on a CRL. */
  issuerKey: text('issuer_key').notNull(),
  notBefore: tstz('not_before').notNull(),
  notAfter: tstz('not_after').notNull(),
  unitCode: text('unit_code').notNull().references(() => adminUnits.code),
  kind: text('kind').notNull(),
  device: text('device'),
  keyAlgorithm: text('key_algorithm').notNull(),
  keySize: integer('key_size').notNull(),
  signatureAlgorithm: text('signature_algorithm').notNull(),
  matchedBy: text('matched_by').notNull(),
  warnings: jsonb('warnings').$type<{ code: string; message: string }[]>().notNull().default([]),
  revokedAt: tstz('revoked_at'),
  revocationReason: text('revocation_reason'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('certificates_fingerprint_idx').on(t.fingerprintSha256),
  // Coverage asks, per unit and kind, for a certificate valid at a moment: every column it reads is in the key,
  // so PostgreSQL answers from the index alone.
  index('certificates_coverage_idx').on(t.unitCode, t.kind, t.notAfter, t.notBefore, t.revokedAt),
  // The timeline and the expiring list scan by kind and end date.
  index('certificates_kind_not_after_idx').on(t.kind, t.notAfter, t.unitCode, t.notBefore, t.revokedAt, t.id),
  // Listing pages newest first.
  index('certificates_created_idx').on(t.createdAt, t.id),
  index('certificates_issuer_serial_idx').on(t.issuerKey, t.serialNumber),
  check('certificates_kind_check', sql`${t.kind} in ('organization','individual')`),
])

export const crls = pgTable('crls', {
  id: uuid('id').primaryKey().defaultRandom(),
  fingerprintSha256: text('fingerprint_sha256').notNull(),
  issuerDn: text('issuer_dn').notNull(),
  issuerKey: text('issuer_key').notNull(),
  thisUpdate: tstz('this_update').notNull(),
  nextUpdate: tstz('next_update'),
  entries: integer('entries').notNull(),
  der: bytea('der').notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('crls_fingerprint_idx').on(t.fingerprintSha256)])

/** Serials revoked by imported CRLs, kept so that a certificate registered later is refused as revoked. */
export const crlEntries = pgTable('crl_entries', {
  issuerKey: text('issuer_key').notNull(),
  serialNumber: text('serial_number').notNull(),
  revokedAt: tstz('revoked_at').notNull(),
  reason: text('reason'),
}, (t) => [primaryKey({ columns: [t.issuerKey, t.serialNumber] })])

export const signingActivity = pgTable('signing_activity', {
  unitCode: text('unit_code').notNull().references(() => adminUnits.code),
  /** First day of the month. */
  month: date('month', { mode: 'string' }).notNull(),
  documentsSigned: integer('documents_signed').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.unitCode, t.month] }),
  index('signing_activity_month_idx').on(t.month),
  check('signing_activity_documents_check', sql`${t.documentsSigned} >= 0`),
])

/**
 * Signed documents counted as verified activity: one row per document, never the document itself;
 * its hashes, size, page count and what was found about its signatures.
 */
export const verifiedDocuments = pgTable('verified_documents', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** SHA-256 of the document (the PDF, the content of a .p7m, or the document of a .p7s). */
  sha256: text('sha256').notNull(),
  /** SHA-256 of the bytes the counted signature covers: a re-wrapped or re-padded copy counts no more. */
  signedSha256: text('signed_sha256').notNull(),
  kind: text('kind').notNull(),
  size: integer('size').notNull(),
  pageCount: integer('page_count'),
  unitCode: text('unit_code').notNull().references(() => adminUnits.code),
  /** First day of the month of signing, Vietnam time. */
  month: date('month', { mode: 'string' }).notNull(),
  certificateId: uuid('certificate_id').notNull().references(() => certificates.id),
  signingTime: tstz('signing_time').notNull(),
  timeSource: text('time_source').notNull(),
  signatures: jsonb('signatures').$type<Record<string, unknown>[]>().notNull(),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [
  uniqueIndex('verified_documents_sha256_idx').on(t.sha256),
  uniqueIndex('verified_documents_signed_sha256_idx').on(t.signedSha256),
  index('verified_documents_unit_month_idx').on(t.unitCode, t.month),
  index('verified_documents_month_idx').on(t.month, t.unitCode),
  index('verified_documents_created_idx').on(t.createdAt, t.id),
  check('verified_documents_kind_check', sql`${t.kind} in ('pdf','attached','detached')`),
  check('verified_documents_time_source_check', sql`${t.timeSource} in ('timestamp','signingTime')`),
])
