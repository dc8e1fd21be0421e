/**
 * A value worked out from an object the first time it is asked for, then kept beside the object rather than
 * on it (the object serialises as before) for as long as the object lives. `set` stores a value known already.
 */
export type LazyCache<K extends object, V> = { get(key: K): V; set(key: K, value: V): void }

export function lazyCache<K extends object, V extends object | null>(compute: (key: K) => V): LazyCache<K, V> {
  const values = new WeakMap<K, V>()
  return {
    get(key) {
      let value = values.get(key)
      if (value === undefined) {
        value = compute(key)
        values.set(key, value)
      }
      return value
    },
    set(key, value) {
      values.set(key, value)
    },
  }
}
