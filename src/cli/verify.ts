import { readFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { EKU_NAMES } from '../pki/oids.ts'
import { PkiInputError, readCertificates, readCrl, verifyCertificate, type Certificate, type Crl, type VerifyOptions } from '../pki/index.ts'

type Io = { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }

const USAGE = `Usage:
  kyso verify --jsonl < cases.jsonl
      One JSON object per line:
      {"id","trusted":[PEM…],"intermediates":[PEM…],"leaf":PEM,"at":ISO|null,
       "crls"?:[PEM…],"purposes"?:[OID…],"maxDepth"?:n,"profile"?:"signing"|"rfc5280",
       "policies"?:[OID…],"explicitPolicy"?:bool,"inhibitPolicyMapping"?:bool,"inhibitAnyPolicy"?:bool}
      Answers one line {"id","ok","problems":[code…]} per input line, in order.
  kyso verify --anchor FILE [--anchor FILE…] [--intermediate FILE…] [--crl FILE…]
              [--at ISO] [--profile signing|rfc5280] [--purpose OID…] [--max-depth N]
              [--policy OID…] [--explicit-policy] [--inhibit-policy-mapping] [--inhibit-any-policy] CERT…
      Each CERT file holds a certificate, optionally followed by CA certificates of its chain.
      --policy gives the user-initial-policy-set of RFC 5280 6.1 (default anyPolicy);
      --explicit-policy requires the chain to be valid for one of them.
      Exit status 0 only if every certificate verifies.
`

class Malformed extends Error {}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string')
}

function certsFrom(pems: string[]): Certificate[] {
  return pems.flatMap((p) => readCertificates(p))
}

function purposeOid(p: string): string {
  if (/^\d+(\.\d+)+$/.test(p)) return p
  const oid = EKU_NAMES[p]
  if (!oid) throw new Malformed(`unknown purpose ${p}`)
  return oid
}

const OID = /^[0-2](\.\d+)+$/

function policyOids(v: unknown): string[] {
  if (v === undefined || v === null) return []
  if (!isStringArray(v) || !v.every((p) => OID.test(p))) throw new Malformed('policies')
  return v
}

function flag(v: unknown, name: string): boolean {
  if (v === undefined || v === null) return false
  if (typeof v !== 'boolean') throw new Malformed(name)
  return v
}

function parseAt(v: unknown): Date {
  if (v === null || v === undefined) return new Date()
  if (typeof v !== 'string') throw new Malformed('at')
  const d = new Date(v)
  if (Number.isNaN(d.getTime())) throw new Malformed('at')
  return d
}

function profileOf(v: unknown): VerifyOptions['profile'] {
  if (v === undefined || v === null) return 'signing'
  if (v === 'signing' || v === 'rfc5280') return v
  throw new Malformed('profile')
}

/** One JSON line to one answer; anything unreadable in it answers "malformed". */
export function verifyLine(line: string): { id: unknown; ok: boolean; problems: string[] } {
  let id: unknown = null
  try {
    const input = JSON.parse(line) as Record<string, unknown>
    if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Malformed('not an object')
    id = input.id ?? null
    const trusted = input.trusted ?? []
    const intermediates = input.intermediates ?? []
    const crls = input.crls ?? []
    const purposes = input.purposes ?? []
    if (!isStringArray(trusted) || !isStringArray(intermediates) || !isStringArray(crls) || !isStringArray(purposes)) throw new Malformed('arrays')
    if (typeof input.leaf !== 'string') throw new Malformed('leaf')
    const maxDepth = input.maxDepth
    if (maxDepth !== undefined && maxDepth !== null && (!Number.isInteger(maxDepth) || (maxDepth as number) < 0)) throw new Malformed('maxDepth')
    const [leaf, ...sentChain] = readCertificates(input.leaf)
    const opts: VerifyOptions = {
      anchors: certsFrom(trusted),
      intermediates: [...certsFrom(intermediates), ...sentChain],
      at: parseAt(input.at),
      crls: crls.map((c) => readCrl(c)),
      purposes: purposes.map(purposeOid),
      profile: profileOf(input.profile),
      policies: policyOids(input.policies),
      explicitPolicy: flag(input.explicitPolicy, 'explicitPolicy'),
      inhibitPolicyMapping: flag(input.inhibitPolicyMapping, 'inhibitPolicyMapping'),
      inhibitAnyPolicy: flag(input.inhibitAnyPolicy, 'inhibitAnyPolicy'),
      ...(typeof maxDepth === 'number' ? { maxDepth } : {}),
    }
    const r = verifyCertificate(leaf, opts)
    return { id, ok: r.ok, problems: [...new Set(r.problems.map((p) => p.code))] }
  } catch (e) {
    if (e instanceof PkiInputError) return { id, ok: false, problems: [e.code] }
    // Anything else is input this verifier could not handle: that line is answered, never the process ended.
    return { id, ok: false, problems: ['malformed'] }
  }
}

async function runJsonl(io: Io): Promise<number> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity })
  for await (const line of lines) {
    const answer = verifyLine(line)
    const text = JSON.stringify(answer) + '\n'
    if (!io.stdout.write(text)) await new Promise((resolve) => io.stdout.once('drain', resolve))
  }
  return 0
}

type FileArgs = {
  anchors: string[]
  intermediates: string[]
  crls: string[]
  purposes: string[]
  policies: string[]
  explicitPolicy: boolean
  inhibitPolicyMapping: boolean
  inhibitAnyPolicy: boolean
  at?: string
  profile?: string
  maxDepth?: string
  certs: string[]
}

function parseArgs(args: string[]): FileArgs {
  const out: FileArgs = { anchors: [], intermediates: [], crls: [], purposes: [], policies: [], explicitPolicy: false, inhibitPolicyMapping: false, inhibitAnyPolicy: false, certs: [] }
  const lists: Record<string, string[]> = { '--anchor': out.anchors, '--intermediate': out.intermediates, '--crl': out.crls, '--purpose': out.purposes, '--policy': out.policies }
  for (let i = 0; i < args.length; i++) {
    let a = args[i]
    let value: string | undefined
    const eq = a.indexOf('=')
    if (a.startsWith('--') && eq > 0) { value = a.slice(eq + 1); a = a.slice(0, eq) }
    const take = () => {
      const v = value ?? args[++i]
      if (v === undefined) throw new Malformed(`${a} needs a value`)
      return v
    }
    if (a in lists) lists[a].push(take())
    else if (a === '--explicit-policy') out.explicitPolicy = true
    else if (a === '--inhibit-policy-mapping') out.inhibitPolicyMapping = true
    else if (a === '--inhibit-any-policy') out.inhibitAnyPolicy = true
    else if (a === '--at') out.at = take()
    else if (a === '--profile') out.profile = take()
    else if (a === '--max-depth') out.maxDepth = take()
    else if (a.startsWith('--')) throw new Malformed(`unknown option ${a}`)
    else out.certs.push(a)
  }
  return out
}

async function readAll(files: string[], read: (body: Buffer) => Certificate[]): Promise<Certificate[]> {
  const out: Certificate[] = []
  for (const f of files) {
    try {
      out.push(...read(await readFile(f)))
    } catch (e) {
      throw new Malformed(`${f}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return out
}

async function runFiles(args: string[], io: Io): Promise<number> {
  let a: FileArgs
  let base: Omit<VerifyOptions, 'intermediates'> & { intermediates: Certificate[] }
  try {
    a = parseArgs(args)
    if (a.anchors.length === 0 || a.certs.length === 0) throw new Malformed('give at least one --anchor and one certificate')
    const crls: Crl[] = []
    for (const f of a.crls) {
      try { crls.push(readCrl(await readFile(f))) } catch (e) { throw new Malformed(`${f}: ${e instanceof Error ? e.message : String(e)}`) }
    }
    const maxDepth = a.maxDepth === undefined ? undefined : Number(a.maxDepth)
    if (maxDepth !== undefined && (!Number.isInteger(maxDepth) || maxDepth < 0)) throw new Malformed('--max-depth must be a whole number')
    base = {
      anchors: await readAll(a.anchors, readCertificates),
      intermediates: await readAll(a.intermediates, readCertificates),
      at: parseAt(a.at),
      crls,
      purposes: a.purposes.map(purposeOid),
      profile: profileOf(a.profile),
      policies: policyOids(a.policies),
      explicitPolicy: a.explicitPolicy,
      inhibitPolicyMapping: a.inhibitPolicyMapping,
      inhibitAnyPolicy: a.inhibitAnyPolicy,
      ...(maxDepth !== undefined ? { maxDepth } : {}),
    }
  } catch (e) {
    io.stderr.write(`kyso verify: ${e instanceof Malformed ? e.message : String(e)}\n\n${USAGE}`)
    return 2
  }
  let failures = 0
  for (const file of a.certs) {
    let certs: Certificate[]
    try {
      certs = readCertificates(await readFile(file))
    } catch (e) {
      failures++
      const why = e instanceof PkiInputError ? `${e.code}: ${e.message}` : `cannot read: ${e instanceof Error ? e.message : String(e)}`
      io.stdout.write(`${file}: FAILED\n  ${why}\n`)
      continue
    }
    const [leaf, ...chain] = certs
    const r = verifyCertificate(leaf, { ...base, intermediates: [...base.intermediates, ...chain] })
    if (r.ok) {
      io.stdout.write(`${file}: OK\n  ${r.path.map((c) => c.subjectDn).join('\n   issued by ')}\n`)
    } else {
      failures++
      io.stdout.write(`${file}: FAILED (${leaf.subjectDn})\n`)
      for (const p of r.problems) io.stdout.write(`  ${p.code}: ${p.message}\n`)
    }
    for (const w of r.warnings) io.stdout.write(`  warning ${w.code}: ${w.message}\n`)
  }
  return failures === 0 ? 0 : 1
}

export async function runVerify(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(USAGE)
    return 0
  }
  if (args[0] === '--jsonl') return runJsonl(io)
  return runFiles(args, io)
}
