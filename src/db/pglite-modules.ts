import fs from 'node:fs'

/** PGlite's compiled WebAssembly and its file-system bundle, handed to each embedded database's thread. */
export type PgliteModules = { pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: Blob }

let loading: Promise<PgliteModules> | null = null

/**
 * Compiled once per process and shared by every PGlite thread it starts: V8 shares a module's machine code
 * between the threads it is sent to, with the optimised code of its hot functions. Each thread compiling its
 * own copy cost 0.8 s of CPU per database opened (compilation, then optimisation of the same functions again).
 */
export function pgliteModules(): Promise<PgliteModules> {
  loading ??= (async () => {
    const dist = new URL('./', import.meta.resolve('@electric-sql/pglite'))
    const [pglite, initdb, bundle] = await Promise.all(['pglite.wasm', 'initdb.wasm', 'pglite.data'].map((f) => fs.promises.readFile(new URL(f, dist))))
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(pglite), WebAssembly.compile(initdb)])
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([bundle]) }
  })()
  loading.catch(() => { loading = null })
  return loading
}
