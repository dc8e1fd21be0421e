/** Worker thread of bench/lib/pki.ts: issues leaves or measures verification, then posts the result. */
import { isMainThread, parentPort, workerData } from 'node:worker_threads'
import { issueLeavesHere, verifyLoop, type ChainSpec } from './pki.ts'
import type { NameSpec } from '../../src/pki/issue.ts'

type Job =
  | { task: 'issue'; chain: ChainSpec; subjects: NameSpec[]; serialBase: number }
  | { task: 'verify'; chain: ChainSpec; leaves: string[]; seconds: number }

if (!isMainThread) {
  const job = workerData as Job
  if (job.task === 'issue') parentPort!.postMessage(issueLeavesHere(job.chain, job.subjects, job.serialBase))
  else {
    verifyLoop(job.chain, job.leaves, 0.5) // warm-up
    parentPort!.postMessage(verifyLoop(job.chain, job.leaves, job.seconds))
  }
}
