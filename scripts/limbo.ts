/*
 * Scores `kyso verify --jsonl` (the real CLI, run as a child process) on the core
 * subset of an x509-limbo file: npm run limbo -- path/to/limbo.json
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { EKU_NAMES } from '../src/pki/oids.ts'

type Testcase = {
  id: string
  features?: string[]
  description: string
  trusted_certs: string[]
  untrusted_intermediates: string[]
  peer_certificate: string
  validation_time: string | null
  crls?: string[]
  extended_key_usage?: string[]
  max_chain_depth?: number | null
  expected_result: 'SUCCESS' | 'FAILURE'
  expected_peer_name?: { kind: string; value: string } | null
}

/**
 * Cases whose expected FAILURE comes only from matching the TLS peer name (a DNS
 * or IP name the client dialled) against the leaf's SAN. Kyso records signing
 * certificates and never has a peer name, so it cannot and should not reject these.
 */
const PEER_NAME_ONLY: Record<string, string> = {
  'rfc5280::ca-as-leaf-wrong-san': 'the chain is valid; only the leaf SAN differs from the peer name the client expected',
}

const CORE_EXCLUDED_FEATURES = (f: string) => f.startsWith('pedantic-') || f === 'rfc5280-incompatible-with-webpki' || f === 'has-policy-constraints'

export function coreSubset(cases: Testcase[]): Testcase[] {
  return cases.filter((c) => !c.id.startsWith('webpki::') && !c.id.startsWith('online::') && !(c.features ?? []).some(CORE_EXCLUDED_FEATURES))
}

function toLine(c: Testcase): string {
  return JSON.stringify({
    id: c.id,
    trusted: c.trusted_certs,
    intermediates: c.untrusted_intermediates,
    leaf: c.peer_certificate,
    at: c.validation_time,
    crls: c.crls ?? [],
    purposes: (c.extended_key_usage ?? []).map((e) => EKU_NAMES[e] ?? e),
    ...(c.max_chain_depth !== null && c.max_chain_depth !== undefined ? { maxDepth: c.max_chain_depth } : {}),
    profile: 'rfc5280',
  })
}

async function runCli(lines: string[]): Promise<string[]> {
  const here = dirname(fileURLToPath(import.meta.url))
  const child = spawn(process.execPath, [join(here, '..', 'bin', 'kyso.js'), 'verify', '--jsonl'], { stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d })
  child.stdin.end(lines.join('\n') + '\n')
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)))
  if (code !== 0) throw new Error(`kyso verify exited with ${code}`)
  return out.split('\n').filter((l) => l !== '')
}

async function main(): Promise<void> {
  const file = process.argv[2]
  if (!file) {
    process.stderr.write('usage: npm run limbo -- <limbo.json>\n')
    process.exit(2)
  }
  if (!existsSync(file)) {
    // The x509-limbo vectors are in the shared data set beside the repository, not in a clone of it.
    process.stdout.write(`skipped: ${file} is not there (the x509-limbo test vectors, from github.com/C2SP/x509-limbo)\n`)
    return
  }
  const cases = coreSubset((JSON.parse(readFileSync(file, 'utf8')) as { testcases: Testcase[] }).testcases)
  const started = Date.now()
  const answers = (await runCli(cases.map(toLine))).map((l) => JSON.parse(l) as { id: string; ok: boolean; problems: string[] })
  const ms = Date.now() - started
  if (answers.length !== cases.length) throw new Error(`expected ${cases.length} answers, got ${answers.length}`)

  let pass = 0
  const falseAccepts: string[] = []
  const falseRejects: string[] = []
  const peerName: string[] = []
  cases.forEach((c, i) => {
    const a = answers[i]
    if (a.id !== c.id) throw new Error(`answer ${i} is for ${a.id}, expected ${c.id}`)
    const expectOk = c.expected_result === 'SUCCESS'
    if (PEER_NAME_ONLY[c.id]) {
      peerName.push(`  ${c.id}: expected ${c.expected_result}, got ${a.ok ? 'SUCCESS' : 'FAILURE ' + a.problems.join(',')} (${PEER_NAME_ONLY[c.id]})`)
      return
    }
    if (a.ok === expectOk) pass++
    else if (a.ok) falseAccepts.push(`  ${c.id}\n      ${firstLine(c.description)}`)
    else falseRejects.push(`  ${c.id}: ${a.problems.join(', ')}\n      ${firstLine(c.description)}`)
  })
  const out = process.stdout
  out.write(`x509-limbo core subset of ${file}: ${cases.length} cases through kyso verify --jsonl (profile rfc5280), ${ms} ms\n`)
  out.write(`pass ${pass} · false accept ${falseAccepts.length} · false reject ${falseRejects.length} · peer-name only (not scored) ${peerName.length}\n`)
  if (falseAccepts.length) out.write(`\nFalse accepts (expected FAILURE, kyso said ok):\n${falseAccepts.join('\n')}\n`)
  if (falseRejects.length) out.write(`\nFalse rejects (expected SUCCESS, kyso refused):\n${falseRejects.join('\n')}\n`)
  if (peerName.length) out.write(`\nNot scored: the expected verdict depends only on TLS peer-name matching, which kyso does not do (it is not a TLS verifier):\n${peerName.join('\n')}\n`)
  process.exitCode = falseAccepts.length > 0 ? 1 : 0
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '' && !l.startsWith('```') && !/^Produces/.test(l))?.trim() ?? ''
}

await main()
