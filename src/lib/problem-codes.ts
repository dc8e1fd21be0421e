/**
 * Every problem code Kyso answers with, each once. A code is the stable, machine-readable part clients
 * rely on; the messages that come with it are for people and may change.
 *
 * - A code with a `status` answers a request on its own: it is the `code` of a problem+json answer
 *   (RFC 9457), with that HTTP status and `title`.
 * - `in` says where a code appears as an entry of an answer's `problems` (or of a report's `problems`
 *   and `warnings`):
 *     certificate          a certificate registration was refused (POST /v1/certificates, each batch item)
 *     reason               the verifier's detailed cause of an `untrusted_issuer` entry (its `reason`)
 *     ca                   a trust anchor, intermediate CA or revocation list was refused
 *     document             a signature of a signed document failed its checks (the verifier's `reason` codes too)
 *     rows                 a row of units, lineage or signing activity (a CSV line, or the row a PUT sends)
 *     request              a field of a request (a subscription, a token's scope, a revocation)
 *     certificate warning  a certificate was recorded, with this said about it
 *     document warning     a document signature was checked, with this said about it (its chain's warnings too)
 *
 * Summaries of the verifier's codes use "<who>" for the certificate concerned (e.g. 'the issuing CA "CN=…"').
 */

export type Place = 'certificate' | 'reason' | 'ca' | 'document' | 'rows' | 'request' | 'certificate warning' | 'document warning'

type CodeInfo = { summary: string; status?: number; title?: string; in?: readonly Place[] }

export const PROBLEM_CODES = {
  // Answers of every kind of request.
  bad_request: { status: 400, title: 'Bad request', summary: 'The request is not valid: a parameter, a field, a cursor or the URL.' },
  malformed: {
    status: 400, title: 'Malformed input', in: ['reason', 'document'],
    summary: 'The body (or a part of a signature) cannot be read: not a certificate, a CRL, JSON or UTF-8 text as it should be.',
  },
  unauthorized: { status: 401, title: 'Unauthorized', summary: 'No valid token: none was sent, or it is unknown, revoked or badly formed.' },
  forbidden: { status: 403, title: 'Forbidden', summary: 'The token\'s role does not allow this, or the unit lies outside its scope.' },
  not_found: { status: 404, title: 'Not found', summary: 'No such record, route or unit version.' },
  duplicate: { status: 409, title: 'Already recorded', summary: 'The record already exists; `existingId` names it.' },
  payload_too_large: { status: 413, title: 'Payload too large', summary: 'The body, or the number of items in it, is over the bound.' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type', summary: 'The route does not read this Content-Type.' },
  unprocessable: { status: 422, title: 'Unprocessable content', summary: 'Read, but refused: each entry of `problems` says what failed.' },
  private_key_material: { status: 422, title: 'Private key material refused', summary: 'The upload holds a private key: refused whole, neither stored nor logged.' },
  too_many_signatures: { status: 422, title: 'Unprocessable content', summary: 'The document holds more signatures (or signers) than one request checks.' },
  idempotency_in_progress: {
    status: 409, title: 'Request still in progress',
    summary: 'A request with this Idempotency-Key is still running: retry after a moment to get its answer.',
  },
  idempotency_key_reused: { status: 422, title: 'Idempotency key reused', summary: 'This Idempotency-Key was used for a different request; a new request needs a new key.' },
  rate_limited: { status: 429, title: 'Too many requests', summary: 'Too many requests, writes or failed authentications: wait as Retry-After says.' },
  unavailable: { status: 503, title: 'Service unavailable', summary: 'The database does not answer, or too much work is waiting: try again shortly.' },
  internal: { status: 500, title: 'Internal error', summary: 'Something failed on the server; `correlationId` names it in the log.' },

  // Certificate checks; some also answer a trust anchor, intermediate or CRL upload on their own.
  untrusted_issuer: {
    status: 422, title: 'Unprocessable content', in: ['certificate', 'ca', 'document'],
    summary: 'No trust anchor could be reached: <who> was issued by "<issuer>", which is neither a trust anchor nor a known intermediate CA.',
  },
  bad_signature: {
    status: 422, title: 'Unprocessable content', in: ['certificate', 'ca', 'document'],
    summary: 'The signature on <who> does not verify with the key of "<issuer>": it was not issued by that CA, or it was altered.',
  },
  not_a_ca: {
    status: 422, title: 'Unprocessable content', in: ['ca', 'reason'],
    summary: '<who> is not a CA certificate (basicConstraints cA is missing or false), so it cannot issue certificates.',
  },
  unsupported_algorithm: {
    in: ['certificate', 'document'],
    summary: '<who> uses an algorithm this service cannot check (RSA PKCS#1 v1.5 and RSASSA-PSS, ECDSA on P-256/P-384/P-521 are supported).',
  },
  weak_signature_algorithm: {
    in: ['certificate', 'document', 'certificate warning', 'document warning'],
    summary: '<who> is signed with MD5 or MD2, which can be forged: refused. With SHA-1 (the first-generation Government CA used it until about 2016) it is accepted with this warning.',
  },
  weak_key: { in: ['certificate'], summary: '<who> has a key that is too short (RSA under 2048 bits, EC under 256 bits).' },
  ca_certificate: { in: ['certificate'], summary: 'The uploaded certificate is itself a CA certificate, not a signing certificate.' },
  key_usage: { in: ['certificate'], summary: 'The certificate is not allowed to make signatures (it has no key usage, or one with neither digitalSignature nor nonRepudiation).' },
  revoked: { in: ['certificate', 'document'], summary: '<who> is on an imported revocation list of its issuer.' },
  unit_not_found: { in: ['certificate', 'request'], summary: 'No commune-level unit is found from the subject, or the unit code names no unit (or no commune-level one) on the day.' },
  unit_ambiguous: { in: ['certificate'], summary: 'The subject names several units of the same name; `candidates` lists them, and `unitCode` chooses one.' },
  unit_mismatch: { in: ['certificate'], summary: 'The unit chosen does not match the commune, district or province the subject names.' },
  malformed_name: { in: ['certificate'], summary: 'The subject or issuer name holds text that cannot be stored (a NUL, an unpaired surrogate).' },
  unstorable: { in: ['certificate'], summary: 'The database refused a value of this batch item; the other items stand on their own.' },

  // The verifier's detailed causes, given as `reason` of an untrusted_issuer entry.
  expired: { in: ['reason'], summary: '<who> had already expired at the time checked.' },
  not_yet_valid: { in: ['reason'], summary: '<who> was not yet valid at the time checked.' },
  ca_key_usage: { in: ['reason'], summary: '<who> is a CA, but has no key usage (RFC 5280 4.2.1.3) or one without keyCertSign.' },
  path_length_exceeded: { in: ['reason'], summary: '<who> allows only N CA certificates below it, and the chain has more.' },
  depth_exceeded: { in: ['reason'], summary: 'The chain needs more intermediate CAs than allowed.' },
  unknown_critical_extension: { in: ['reason'], summary: '<who> has an extension marked critical that this verifier does not understand, so it must be refused.' },
  name_constraints: { in: ['reason'], summary: '<who> carries a name that the constraints of CA "<issuer>" do not allow (or constraints that cannot be evaluated).' },
  invalid_name: { in: ['reason'], summary: '<who> carries an alternative name that is not well formed.' },
  purpose: { in: ['reason'], summary: 'The certificate\'s extended key usage does not include the purpose asked for.' },
  policy: { in: ['reason'], summary: 'No policy of the user-initial-policy-set is valid for the whole chain while one is required (RFC 5280 6.1), or a CA maps anyPolicy.' },
  nonconforming_certificate: { in: ['reason'], summary: '<who> breaks a rule of RFC 5280 that matters for trust (e.g. a CA without critical basicConstraints or subject key identifier).' },
  crl_unusable: {
    in: ['reason'],
    summary: 'CRLs were given but none of "<issuer>" can be relied on (none for the leaf\'s issuer, a bad signature, past nextUpdate, an issuer without cRLSign, a critical extension not handled): the status of <who> is undetermined (6.3.3).',
  },
  budget_exceeded: { in: ['reason'], summary: 'Too many candidate chains were tried (or the policy tree grew too large); the certificates look built to slow the verifier down.' },

  // Said of a certificate that was recorded.
  crl_ignored: { in: ['certificate warning'], summary: 'A revocation list could not be relied on, but another one of the same CA decided the status.' },
  unit_type_differs: { in: ['certificate warning'], summary: 'The subject calls the unit a commune, ward or town other than the register does.' },
  former_unit_named: { in: ['certificate warning'], summary: 'The subject names a former unit (merged or renamed); the unit was found through its successor.' },

  // Signed documents.
  digest_mismatch: { in: ['document'], summary: 'The document does not match the digest that was signed: it was changed after signing, or the signature belongs to another document.' },
  signer_not_found: { in: ['document'], summary: 'The signer\'s certificate is not in the signature, so the signature cannot be checked.' },
  missing_attribute: { in: ['document'], summary: 'The signed attributes lack the content type or the message digest.' },
  content_type_mismatch: { in: ['document'], summary: 'The signed content type differs from the content type of the document.' },
  signing_certificate_mismatch: { in: ['document'], summary: 'The signed reference to the signer\'s certificate (ESS signing-certificate) does not match the certificate in the signature.' },
  unsupported_subfilter: { in: ['document'], summary: 'The PDF signature\'s format (/SubFilter) is not one this service reads.' },
  timestamp_unusable: { in: ['document warning'], summary: 'The signature\'s timestamp was not used (repeated, unreadable or not verifying).' },

  // Rows of units, lineage and signing activity.
  csv_syntax: { in: ['rows'], summary: 'The file is not well-formed CSV at this line (an unclosed quote, a stray character).' },
  missing_header: { in: ['rows'], summary: 'The file is empty; it must start with the header.' },
  missing_column: { in: ['rows'], summary: 'The header lacks a required column.' },
  unknown_column: { in: ['rows'], summary: 'The header names a column the import does not know.' },
  duplicate_column: { in: ['rows'], summary: 'The header names a column twice.' },
  column_count: { in: ['rows'], summary: 'The line has another number of fields than the header.' },
  empty: { in: ['rows'], summary: 'The file has a header but no rows.' },
  bad_code: { in: ['rows'], summary: 'A unit code is not a GSO code (digits only).' },
  bad_name: { in: ['rows'], summary: 'The name is empty or longer than 200 characters.' },
  bad_level: { in: ['rows'], summary: 'The level is not province, district or commune.' },
  bad_type: { in: ['rows'], summary: 'The type is unknown, or not a type of the level.' },
  bad_parent: { in: ['rows'], summary: 'The parent is missing, not allowed, the unit itself, or of the wrong level for part of the version\'s validity.' },
  bad_date: { in: ['rows'], summary: 'A date is not YYYY-MM-DD, or the dates are in the wrong order.' },
  bad_month: { in: ['rows'], summary: 'The month is not YYYY-MM.' },
  bad_count: { in: ['rows'], summary: 'documents_signed is not a whole number within the bound.' },
  bad_share: { in: ['rows'], summary: 'The share is not whole, part or unchanged, or an unchanged link joins what one People\'s Committee cannot be.' },
  duplicate_row: { in: ['rows'], summary: 'The same unit and month appear on an earlier line.' },
  duplicate_pair: { in: ['rows'], summary: 'The same pair of versions appears on an earlier line.' },
  duplicate_version: { in: ['rows'], summary: 'The same code and valid_from appear on an earlier line.' },
  overlapping_versions: { in: ['rows'], summary: 'Two versions of one code share a day (in the file or against the database).' },
  unknown_parent: { in: ['rows'], summary: 'No unit has the parent code.' },
  unknown_version: { in: ['rows'], summary: 'No version of the code ends (or begins) on the day given.' },
  unit_in_use: { in: ['rows'], summary: 'The change leaves a recorded certificate or signing activity without a commune-level unit in force.' },
  unknown_unit: { in: ['rows'], summary: 'No administrative unit had the code in that month.' },
  not_a_commune: { in: ['rows'], summary: 'Signing activity is recorded for commune-level units only.' },
  out_of_scope: { in: ['rows'], summary: 'The unit lies outside the token\'s scope.' },

  // Fields of a request.
  revocation_date: { in: ['request'], summary: 'revokedAt is in the future or before the certificate\'s notBefore.' },
  bad_url: { in: ['request'], summary: 'The webhook URL is not an absolute http(s) URL, or it carries a user name or password.' },
  target_refused: { in: ['request'], summary: 'The webhook URL\'s host resolves to an address notices may not be sent to.' },
  url_required: { in: ['request'], summary: 'A webhook subscription needs a url.' },
  url_not_allowed: { in: ['request'], summary: 'url and secret belong to webhook subscriptions.' },
  addresses_required: { in: ['request'], summary: 'An e-mail subscription needs addresses.' },
  addresses_not_allowed: { in: ['request'], summary: 'addresses belong to e-mail subscriptions.' },
  bad_secret: { in: ['request'], summary: 'The webhook secret is not "whsec_" followed by the base64 of 24 to 64 random bytes.' },
} as const satisfies Record<string, CodeInfo>

export type ProblemCode = keyof typeof PROBLEM_CODES

/** The codes that answer a request on their own (they have an HTTP status). */
export type AnswerCode = { [K in ProblemCode]: (typeof PROBLEM_CODES)[K] extends { status: number } ? K : never }[ProblemCode]

/** An entry of an answer's `problems`: what failed, for machines and for people. */
export type ProblemEntry = { code: ProblemCode; message: string; [key: string]: unknown }

export function statusOf(code: AnswerCode): number {
  return PROBLEM_CODES[code].status
}

export function titleOf(code: AnswerCode): string {
  return PROBLEM_CODES[code].title
}

export function isAnswerCode(code: string): code is AnswerCode {
  return Object.hasOwn(PROBLEM_CODES, code) && 'status' in PROBLEM_CODES[code as ProblemCode]
}

/** Where the code appears as an entry (empty for codes that only answer). */
export function placesOf(code: ProblemCode): readonly Place[] {
  return (PROBLEM_CODES[code] as CodeInfo).in ?? []
}

/** The codes that appear at `place`, in the order of this list. */
export function codesIn(place: Place): ProblemCode[] {
  return (Object.keys(PROBLEM_CODES) as ProblemCode[]).filter((code) => placesOf(code).includes(place))
}

/** The codes that answer a request on their own, in the order of this list. */
export function answerCodes(): AnswerCode[] {
  return (Object.keys(PROBLEM_CODES) as ProblemCode[]).filter(isAnswerCode)
}
