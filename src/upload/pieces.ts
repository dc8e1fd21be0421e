/**
 * The pieces of a batch (PEM blocks, JSON items' certificates, a DER or PKCS#7 body) read in a worker thread
 * and brought back: certificates as plain data, refusals as their code and detail.
 */
import { DomainError } from '../lib/errors.ts'
import type { AnswerCode } from '../lib/problem-codes.ts'
import { reviveCertificate } from '../pki/certificate-clone.ts'
import type { Certificate } from '../pki/index.ts'
import { readUploadItem } from './read.ts'

export type Piece = string | Uint8Array
export type PieceRead = { certs: Certificate[] } | { refusal: { code: AnswerCode; detail: string; extra: Record<string, unknown> } }

/** In the worker: each piece as `readUploadItem` reads it. */
export function readPieces(pieces: Piece[]): PieceRead[] {
  return pieces.map((piece) => {
    const read = readUploadItem(typeof piece === 'string' ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength))
    return read instanceof DomainError ? { refusal: { code: read.code, detail: read.detail, extra: read.extra } } : { certs: read }
  })
}

/** On the main thread: the certificates revived, a refusal as a domain error again. */
export function pieceBack(r: PieceRead): Certificate[] | DomainError {
  return 'certs' in r ? r.certs.map(reviveCertificate) : new DomainError(r.refusal.code, r.refusal.detail, r.refusal.extra)
}
