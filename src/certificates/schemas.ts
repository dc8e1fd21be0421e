/** The JSON shapes of the certificate routes, named in the OpenAPI document by their $id. */
import { Type, type TSchema } from 'typebox'
import { StringEnum, UnitCode } from '../http/schemas.ts'
import { DEVICES, KINDS } from './record.ts'
import { STATUSES } from './status.ts'

const Problem = Type.Object({ code: Type.String(), message: Type.String() }, { additionalProperties: true })

const CertificateSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  fingerprintSha256: Type.String({ description: 'SHA-256 of the DER, lowercase hex' }),
  serialNumber: Type.String({ description: 'Lowercase hex' }),
  subject: Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]), {
    description: 'Decoded subject attributes (CN, O, OU, L, ST, C, …), NFC; an array where an attribute repeats',
  }),
  subjectDn: Type.String({ description: 'RFC 4514 string' }),
  issuerDn: Type.String({ description: 'RFC 4514 string' }),
  device: Type.Union([StringEnum(DEVICES), Type.Null()], { description: 'Where the key lives: token, sim, remote (signing server) or other' }),
  notBefore: Type.String({ format: 'date-time' }),
  notAfter: Type.String({ format: 'date-time' }),
  unitCode: Type.String({ description: 'GSO code of the commune-level unit' }),
  kind: StringEnum(KINDS),
  status: StringEnum(STATUSES, { description: 'At the moment of the request: revoked from revokedAt on, else not_yet_valid / valid / expired by [notBefore, notAfter)' }),
  keyAlgorithm: Type.String({ description: 'RSA or EC' }),
  keySize: Type.Integer(),
  signatureAlgorithm: Type.String(),
  matchedBy: StringEnum(['explicit', 'subject'] as const, { description: 'explicit: unitCode was given; subject: found from the subject' }),
  warnings: Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: 'Accepted, but said: e.g. weak_signature_algorithm for SHA-1' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  revocationReason: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'Certificate', description: 'A recorded certificate of a People\'s Committee (or of a person working for one).' })

const CertificateUpload = Type.Object({
  certificate: Type.String({ minLength: 1, maxLength: 500_000, description: 'PEM (leaf first, optionally followed by its chain CA certificates) or base64 DER' }),
  unitCode: Type.Optional(UnitCode('The commune-level unit; without it the unit is found from the subject')),
  kind: Type.Optional(StringEnum(KINDS, { description: 'Default organization' })),
  device: Type.Optional(Type.Union([StringEnum(DEVICES), Type.Null()])),
}, { $id: 'CertificateUpload', additionalProperties: false })

const BatchResult = Type.Object({
  index: Type.Integer({ description: 'JSON: position in items. PEM/PKCS#7: position of the certificate in the upload, CA certificates counted (they serve as chain and get no result).' }),
  status: Type.Integer({ description: '201 recorded, 400 malformed, 403 out of scope, 409 duplicate, 422 refused' }),
  id: Type.Optional(Type.String()),
  unitCode: Type.Optional(Type.String({ description: '201: the commune-level unit the certificate was recorded for' })),
  unitName: Type.Optional(Type.String({ description: '201: that unit\'s name on the certificate\'s notBefore' })),
  matchedBy: Type.Optional(StringEnum(['explicit', 'subject'] as const, { description: '201: how the unit was found' })),
  warnings: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String() }), { description: '201: accepted, but said (e.g. former_unit_named)' })),
  code: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
  problems: Type.Optional(Type.Array(Problem)),
  existingId: Type.Optional(Type.String()),
}, { $id: 'BatchResult' })

export const certificateSchemas: TSchema[] = [CertificateSchema, CertificateUpload, BatchResult]

export const UploadQuery = Type.Object({
  unitCode: Type.Optional(UnitCode('For raw bodies: the commune-level unit; without it the unit is found from the subject')),
  kind: Type.Optional(StringEnum(KINDS, { description: 'For raw bodies; default organization' })),
  device: Type.Optional(StringEnum(DEVICES, { description: 'For raw bodies' })),
}, { additionalProperties: false })
