import { readFile } from 'node:fs/promises'
import { PkiInputError, readCertificates, readCrl, type Certificate, type Crl } from '../pki/index.ts'
import { verifySignedDocument, type DocumentInput, type DocumentReport } from '../pki/signed-document.ts'

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

const USAGE = `Usage:
  kyso verify-document --anchor FILE [--anchor FILE…] [--intermediate FILE…] [--crl FILE…] [--json] FILE…
      Verifies every signature of each FILE: a signed PDF, an attached CMS (.p7m), or a
      detached CMS (.p7s) whose document is the same path without ".p7s" (report.pdf.p7s → report.pdf).
      Each signer's chain is checked at the time of signing (a verified RFC 3161 timestamp,
      else the claimed signing time, else now) against the given anchors, intermediates and CRLs.
      --json writes one JSON line per file. Exit status 0 only if every signature verifies.
`

class Usage extends Error {}

type Args = { anchors: string[]; intermediates: string[]; crls: string[]; json: boolean; files: string[] }

function parseArgs(args: string[]): Args {
  const out: Args = { anchors: [], intermediates: [], crls: [], json: false, files: [] }
  const lists: Record<string, string[]> = { '--anchor': out.anchors, '--intermediate': out.intermediates, '--crl': out.crls }
  for (let i = 0; i < args.length; i++) {
    let a = args[i]
    let value: string | undefined
    const eq = a.indexOf('=')
    if (a.startsWith('--') && eq > 0) { value = a.slice(eq + 1); a = a.slice(0, eq) }
    if (a in lists) {
      const v = value ?? args[++i]
      if (v === undefined) throw new Usage(`${a} needs a value`)
      lists[a].push(v)
    } else if (a === '--json') out.json = true
    else if (a.startsWith('--')) throw new Usage(`unknown option ${a}`)
    else out.files.push(a)
  }
  if (out.anchors.length === 0 || out.files.length === 0) throw new Usage('give at least one --anchor and one file')
  return out
}

async function load<T>(files: string[], read: (b: Buffer) => T): Promise<T[]> {
  const out: T[] = []
  for (const f of files) {
    try { out.push(read(await readFile(f))) } catch (e) { throw new Usage(`${f}: ${e instanceof Error ? e.message : String(e)}`) }
  }
  return out
}

async function inputOf(file: string): Promise<DocumentInput> {
  if (file.toLowerCase().endsWith('.p7s')) {
    return { kind: 'detached', signature: await readFile(file), document: await readFile(file.slice(0, -4)) }
  }
  const bytes = await readFile(file)
  return bytes.subarray(0, 1024).includes('%PDF-') ? { kind: 'pdf', bytes } : { kind: 'attached', bytes }
}

function describe(file: string, r: DocumentReport): string {
  const ok = r.signatures.every((s) => s.ok)
  const lines = [`${file}: ${ok ? 'OK' : 'FAILED'} (${r.signatures.length} signature${r.signatures.length === 1 ? '' : 's'}, sha256 ${r.sha256})`]
  r.signatures.forEach((s, i) => {
    const when = s.signingTime ? `signed ${s.signingTime} (${s.timeSource === 'timestamp' ? 'timestamp' : 'claimed signing time'})` : 'no signing time (checked now)'
    const cover = r.kind === 'pdf' ? (s.coversWholeDocument ? ', covers the whole document' : ', does NOT cover the whole document') : ''
    lines.push(`  #${i + 1} ${s.ok ? 'OK' : 'FAILED'} ${s.signerDn ?? '(signer unknown)'}, ${when}${cover}`)
    for (const p of s.problems) lines.push(`     ${p.code}: ${p.message}`)
    for (const w of s.warnings) lines.push(`     warning ${w.code}: ${w.message}`)
  })
  return lines.join('\n') + '\n'
}

export async function runVerifyDocument(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) { io.stdout.write(USAGE); return 0 }
  let a: Args
  let trust: { anchors: Certificate[]; intermediates: Certificate[]; crls: Crl[] }
  try {
    a = parseArgs(args)
    trust = {
      anchors: (await load(a.anchors, readCertificates)).flat(),
      intermediates: (await load(a.intermediates, readCertificates)).flat(),
      crls: await load(a.crls, (b) => readCrl(b)),
    }
  } catch (e) {
    io.stderr.write(`kyso verify-document: ${e instanceof Usage || e instanceof PkiInputError ? e.message : String(e)}\n\n${USAGE}`)
    return 2
  }
  let failures = 0
  for (const file of a.files) {
    let report: DocumentReport
    try {
      report = verifySignedDocument(await inputOf(file), trust, new Date())
    } catch (e) {
      failures++
      const why = e instanceof PkiInputError ? `${e.code}: ${e.message}` : `cannot read: ${e instanceof Error ? e.message : String(e)}`
      io.stdout.write(a.json ? JSON.stringify({ file, ok: false, problems: [{ code: e instanceof PkiInputError ? e.code : 'unreadable', message: why }] }) + '\n' : `${file}: FAILED\n  ${why}\n`)
      continue
    }
    const ok = report.signatures.every((s) => s.ok)
    if (!ok) failures++
    if (a.json) {
      io.stdout.write(JSON.stringify({
        file, ok, kind: report.kind, sha256: report.sha256, size: report.size, pageCount: report.pageCount,
        signatures: report.signatures.map((s) => ({
          ok: s.ok, signer: s.signer, signerDn: s.signerDn, algorithm: s.algorithm, subFilter: s.subFilter, signingTime: s.signingTime, timeSource: s.timeSource,
          claimedSigningTime: s.claimedSigningTime, timestampTime: s.timestampTime, coversWholeDocument: s.coversWholeDocument, problems: s.problems, warnings: s.warnings,
        })),
      }) + '\n')
    } else {
      io.stdout.write(describe(file, report))
    }
  }
  return failures === 0 ? 0 : 1
}
