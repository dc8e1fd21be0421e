import { Worker, type WorkerOptions } from 'node:worker_threads'

/** The worker module `name` beside the module at `from`, in its form: compiled `.js` in dist/, `.ts` when run from the sources. */
export function siblingModule(from: string, name: string): URL {
  return new URL(`./${name}${new URL(from).pathname.endsWith('.ts') ? '.ts' : '.js'}`, from)
}

/** Whether this Node.js runs TypeScript itself (type stripping: 22.18 and later). */
export const STRIPS_TYPES = Boolean((process.features as { typescript?: string | false }).typescript)

/**
 * Starts a worker thread on `file`. From the sources on a Node.js that does not strip types (20), tsx's
 * loader is registered inside it first: workers do not inherit it there.
 */
export function startWorker(file: URL, options: WorkerOptions = {}): Worker {
  if (!file.pathname.endsWith('.ts') || STRIPS_TYPES) return new Worker(file, options)
  const boot = `import('tsx/esm/api').then(m => { m.register(); return import(${JSON.stringify(file.href)}) })`
  return new Worker(boot, { ...options, eval: true })
}
