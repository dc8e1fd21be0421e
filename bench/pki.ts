/*
 * Leaf verifications per second for an RSA-2048 root → CA → leaf chain, with verifyCertificate
 * (one thread, then one worker per core) and with `openssl verify`: the pki part of `npm run bench`
 * alone, for working on src/pki. Was scripts/bench-pki.ts. Not a test:
 *   node --import tsx bench/pki.ts [seconds-per-run] [leaves]
 */
import os from 'node:os'
import type { NameSpec } from '../src/pki/issue.ts'
import { issueLeaves, makeChain, opensslRate, verifyLoop, verifyParallel } from './lib/pki.ts'

const seconds = Number(process.argv[2] ?? 3)
const count = Number(process.argv[3] ?? 500)
const chain = makeChain()
const subjects: NameSpec[] = Array.from({ length: count }, (_, i) => [['C', 'VN'], ['ST', 'Bình Thuận'], ['L', 'Huyện Đức Linh'], ['CN', `Ủy ban nhân dân xã số ${i}`]])
const leaves = await issueLeaves(chain, subjects, 0x1000)
const cores = os.availableParallelism()
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8)
verifyLoop(chain, leaves, 0.5) // warm-up
console.log(`RSA-2048 root → CA → leaf, ${leaves.length} distinct leaves, ${seconds}s per run, ${cores} cores available, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`)
console.log(`verifyCertificate, leaf already parsed, 1 thread:          ${fmt(verifyLoop(chain, leaves, seconds, false))} /s`)
console.log(`readCertificates + verifyCertificate, 1 thread:            ${fmt(verifyLoop(chain, leaves, seconds))} /s`)
console.log(`readCertificates + verifyCertificate, ${cores} worker threads:     ${fmt(await verifyParallel(chain, leaves, seconds, cores))} /s`)
const o = opensslRate(chain, leaves)
console.log(`openssl verify (one process, ${leaves.length} leaf files), 1 thread:   ${fmt(o.rate)} /s  (${o.version})`)
