import { PassThrough } from 'node:stream'

/** Runs a command of src/cli with its output streams captured as text. */
export async function captured(run: (io: { stdout: PassThrough; stderr: PassThrough }) => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (d: Buffer) => { out += d.toString() })
  stderr.on('data', (d: Buffer) => { err += d.toString() })
  const code = await run({ stdout, stderr })
  return { code, out, err }
}
