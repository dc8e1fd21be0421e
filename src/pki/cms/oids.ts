/** Object identifiers of CMS (RFC 5652), ESS (RFC 5035) and time-stamping (RFC 3161). */
export const CMS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  timeStampToken: '1.2.840.113549.1.9.16.2.14',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const

/** Digest algorithms by OID, as node:crypto names them. */
export const DIGESTS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}

export const RSA_ENCRYPTION = '1.2.840.113549.1.1.1'
export const RSASSA_PSS = '1.2.840.113549.1.1.10'
export const MGF1 = '1.2.840.113549.1.1.8'
export const EC_PUBLIC_KEY = '1.2.840.10045.2.1'
