/**
 * How much work one request may ask for. Each bound is documented in the README and the OpenAPI
 * descriptions, and answered with 413 (too many items) or 422 (budget spent) and a detail naming it.
 *
 * The numbers: a province registers a few hundred commune certificates at most in one go (Bình Thuận
 * has 127 commune-level units), so 1000 items is generous; a real chain has 2–4 CAs, so 50 CA
 * certificates in one upload covers several hierarchies and generations. The signature and path
 * budgets keep the heaviest allowed request to well under a second of verification: a path check is
 * one RSA/EC signature verification (tens of microseconds), 1000 items need about 2000 of them.
 */
export const LIMITS = {
  /** Items (end-entity certificates) in one batch, whatever its format. */
  batchItems: 1000,
  /** Certificates in one upload, CA certificates included. */
  uploadCertificates: 1100,
  /** CA certificates sent along with one upload (chain material). */
  uploadCaCertificates: 50,
  /** Signature checks spent on path building over one whole request. */
  requestSignatureChecks: 5000,
  /** Candidate path expansions over one whole request. */
  requestPathExpansions: 20_000,
  /** Certificate items per minute and token, on top of the per-request write limit: a batch costs its size. */
  itemsPerWriteUnit: 10,
} as const

export function requestBudget(): { signatures: number; expansions: number } {
  return { signatures: LIMITS.requestSignatureChecks, expansions: LIMITS.requestPathExpansions }
}
