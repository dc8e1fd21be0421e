/** Runs `work` holding the lock file `lock`, waiting for it as long as another live process holds it. */
export function withLockFile<T>(lock: string, work: () => Promise<T> | T): Promise<T>
