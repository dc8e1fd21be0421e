/** Worker thread: checks the chains of one upload's items (chain-check.ts) per message. */
import { parentPort } from 'node:worker_threads'
import { checkChains, type ChainTask } from './chain-check.ts'

parentPort?.on('message', ({ id, input }: { id: number; input: ChainTask }) => {
  try {
    parentPort!.postMessage({ id, ok: true, result: checkChains(input) })
  } catch {
    parentPort!.postMessage({ id, ok: false, error: { name: 'Error', message: 'The certificate chains could not be checked.' } })
  }
})
