import fs from 'node:fs'
import path from 'node:path'

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError'
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * PGlite has no locking of its own: two processes on one folder both start and corrupt it.
 * A lock file holding our pid keeps a second process out; a lock left by a dead process is taken over.
 */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'kyso.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' })
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === String(process.pid)) fs.unlinkSync(file)
        } catch { /* already gone */ }
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      const owner = Number.parseInt(fs.readFileSync(file, 'utf8'), 10)
      if (Number.isInteger(owner) && isRunning(owner)) {
        throw new DataDirInUseError(
          `The data folder ${dir} is in use by another Kyso process (pid ${owner}). `
          + 'Stop that process, or give this one its own DATA_DIR, or use a PostgreSQL server (DATABASE_URL) to run several instances.',
        )
      }
      fs.unlinkSync(file)
    }
  }
  throw new DataDirInUseError(`Could not lock the data folder ${dir}`)
}
