import { sql } from 'drizzle-orm'
import {
  pgTable, text, integer, serial, date, jsonb, uuid, bigserial, index, unique, uniqueIndex, primaryKey, check, bigint,
} from 'drizzle-orm/pg-core'
import { bytea, tstz } from './columns.ts'

export * from './notify-schema.ts'

/**
 * One version of an administrative unit: a code names different units at different times (GSO reuses codes),
 * so a unit is its code plus its validity. Versions of one code never overlap.
 */
export const adminUnits = pgTable('admin_units', {
  id: serial('id').primaryKey(),
  code: text('code').notNull(),
  name: text('name').notNull(),
  /** The name folded for search and matching: see units/names.ts. */
  nameKey: text('name_key').notNull(),
  /** The name without its unit-type word, folded the same way. */
  bareKey: text('bare_key').notNull(),
  type: text('type').notNull(),
  level: text('level').notNull(),
  /** The parent's code: the parent is that code's version in force on the same day. */
  parentCode: text('parent_code'),
  /** Denormalised ancestor codes, recomputed after every import; they make "under" a single-table filter. */
  districtCode: text('district_code'),
  provinceCode: text('province_code'),
  validFrom: date('valid_from', { mode: 'string' }),
  validTo: date('valid_to', { mode: 'string' }),
  /**
   * The first version of the chain of `unchanged` lineage this version belongs to: versions with the same
   * committee are one People's Committee going on, so a certificate of one covers the others.
   */
  committeeId: integer('committee_id').notNull().default(0),
  /**
   * The codes a registrar scope may name to reach this version: its own code and ancestors, and those of
   * every version it descends from through lineage (a token scoped to a former province keeps its territory).
   */
  placeCodes: text('place_codes').array().notNull().default(sql`'{}'::text[]`),
}, (t) => [
  unique('admin_units_code_from_key').on(t.code, t.validFrom).nullsNotDistinct(),
  index('admin_units_parent_idx').on(t.parentCode),
  index('admin_units_district_idx').on(t.districtCode),
  index('admin_units_province_level_idx').on(t.provinceCode, t.level),
  index('admin_units_bare_key_idx').on(t.bareKey),
  index('admin_units_committee_idx').on(t.committeeId),
  check('admin_units_level_check', sql`${t.level} in ('province','district','commune')`),
  check('admin_units_validity_check', sql`${t.validFrom} is null or ${t.validTo} is null or ${t.validFrom} <= ${t.validTo}`),
])

/** Old version → new version, with how much of the old unit went into the new one. */
export const unitLineage = pgTable('unit_lineage', {
  oldId: integer('old_id').notNull().references(() => adminUnits.id),
  newId: integer('new_id').notNull().references(() => adminUnits.id),
  share: text('share').notNull(),
}, (t) => [
  primaryKey({ columns: [t.oldId, t.newId] }),
  index('unit_lineage_new_idx').on(t.newId),
  check('unit_lineage_share_check', sql`${t.share} in ('whole','part','unchanged')`),
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
  unitCode: text('unit_code').notNull(),
  /** The unit version in force on the certificate's notBefore that it was recorded for. */
  unitId: integer('unit_id').notNull().references(() => adminUnits.id),
  /** The unit version's committee (see adminUnits.committeeId), kept here so coverage reads one index. */
  committeeId: integer('committee_id').notNull(),
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
  index('certificates_coverage_idx').on(t.committeeId, t.kind, t.notAfter, t.notBefore, t.revokedAt),
  // The timeline and the expiring list scan by kind and end date.
  index('certificates_kind_not_after_idx').on(t.kind, t.notAfter, t.committeeId, t.notBefore, t.revokedAt, t.id, t.unitId),
  index('certificates_unit_idx').on(t.unitId),
  index('certificates_unit_code_idx').on(t.unitCode),
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
  unitCode: text('unit_code').notNull(),
  /** The version of unitCode in force at the month's end (or, for a unit that ended during the month, its last). */
  unitId: integer('unit_id').notNull().references(() => adminUnits.id),
  /** First day of the month. */
  month: date('month', { mode: 'string' }).notNull(),
  documentsSigned: integer('documents_signed').notNull(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.unitCode, t.month] }),
  index('signing_activity_month_idx').on(t.month),
  index('signing_activity_unit_idx').on(t.unitId),
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
  unitCode: text('unit_code').notNull(),
  /** The unit version the signing certificate was recorded for. */
  unitId: integer('unit_id').notNull().references(() => adminUnits.id),
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
  index('verified_documents_unit_idx').on(t.unitId),
  index('verified_documents_created_idx').on(t.createdAt, t.id),
  check('verified_documents_kind_check', sql`${t.kind} in ('pdf','attached','detached')`),
  check('verified_documents_time_source_check', sql`${t.timeSource} in ('timestamp','signingTime')`),
])
/**
 * One row whose version every write to the tables that reads depend on advances, in the writing transaction
 * (statement triggers, see drizzle/NNNN_data_version.sql and db/data-version-sql.ts): an answer computed at a
 * version stays right as long as the version has not moved.
 */
export const dataVersion = pgTable('data_version', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
}, (t) => [check('data_version_single_row_check', sql`${t.id} = 1`)])

/**
 * The running instances whose read caches answer without asking the data version (db/version-watch.ts): each
 * renews its lease every second and records the highest version it has taken in. A write is answered only
 * once every instance holding a lease has seen its version, so no instance serves an answer older than a
 * write someone has been told is done.
 */
export const cacheInstances = pgTable('cache_instances', {
  id: uuid('id').primaryKey(),
  seen: bigint('seen', { mode: 'number' }).notNull(),
  leaseUntil: tstz('lease_until').notNull(),
})

/**
 * Writes sent with an Idempotency-Key header: one row per caller and key, reserved before the write runs and
 * completed with its answer, so that a retry gets that answer instead of a second write. The key itself is
 * not kept (only its SHA-256), and the answer is sealed with a key derived from it: an answer may carry a
 * secret (a new API token).
 */
export const idempotencyKeys = pgTable('idempotency_keys', {
  actor: text('actor').notNull(),
  keyHash: text('key_hash').notNull(),
  requestHash: text('request_hash').notNull(),
  state: text('state').notNull(),
  status: integer('status'),
  contentType: text('content_type'),
  sealedBody: text('sealed_body'),
  createdAt: tstz('created_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.actor, t.keyHash] }),
  check('idempotency_keys_state_check', sql`${t.state} in ('running','done')`),
  index('idempotency_keys_created_at_idx').on(t.createdAt),
])
