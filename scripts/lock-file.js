// Work done by one process at a time under a lock file holding its pid, the others waiting; a lock whose process
// is gone is taken over. Used by the build (scripts/build.js), by the tests' template databases
// (test/helpers/template-db.ts) and by the bundles of their dependencies (test/helpers/dependency-bundles.mjs).
import fs from 'node:fs'

/** Whether the process that wrote `lock` still runs; true while the file is still empty (just created). */
function holderAlive(lock) {
  const pid = Number(fs.readFileSync(lock, 'utf8'))
  if (!Number.isInteger(pid) || pid <= 0) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return err.code === 'EPERM'
  }
}

/** Runs `work` holding the lock file `lock`, waiting for it as long as another live process holds it. */
export async function withLockFile(lock, work) {
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
      break
    } catch (err) {
      if (err.code !== 'EEXIST') throw err
      let alive
      try { alive = holderAlive(lock) } catch { continue /* removed meanwhile: try again */ }
      if (!alive) fs.rmSync(lock, { force: true })
      else await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  try {
    return await work()
  } finally {
    fs.rmSync(lock, { force: true })
  }
}
