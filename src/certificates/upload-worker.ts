/** Worker thread: reads a batch's pieces (upload/pieces.ts) or checks an upload's chains (chain-check.ts), one task per message. */
import { parentPort } from 'node:worker_threads'
import { readPieces } from '../upload/pieces.ts'
import { checkChains } from './chain-check.ts'
import type { UploadTask } from './upload-pool.ts'

parentPort?.on('message', ({ id, input }: { id: number; input: UploadTask }) => {
  try {
    const result = input.op === 'read' ? readPieces(input.pieces) : checkChains(input.task)
    parentPort!.postMessage({ id, ok: true, result })
  } catch {
    parentPort!.postMessage({ id, ok: false, error: { name: 'Error', message: 'The upload could not be read or checked.' } })
  }
})
