import dns from 'node:dns'
import net from 'node:net'

/** Addresses a webhook must not reach: this host, private networks, link-local, multicast, reserved. */
const blocked = new net.BlockList()
for (const [prefix, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(prefix, bits, 'ipv4')
for (const [prefix, bits] of [
  ['::', 128], ['::1', 128], ['64:ff9b::', 96], ['100::', 64], ['2001::', 23], ['2001:db8::', 32],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(prefix, bits, 'ipv6')

/** True when the address is private, loopback, link-local or otherwise not on the public Internet. */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address)
  if (family === 4) return blocked.check(address, 'ipv4')
  if (family !== 6) return true
  const lower = address.toLowerCase()
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms carry an IPv4 address: judge that one.
  const mapped = /^(?:0*:)*:?(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/.exec(lower)
  if (mapped) return blocked.check(mapped[1], 'ipv4')
  const hexMapped = /^(?:0*:)*:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower)
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16)
    const lo = parseInt(hexMapped[2], 16)
    return blocked.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4')
  }
  return blocked.check(address, 'ipv6')
}

export class TargetRefused extends Error {
  readonly code = 'target_refused'
}

const LOOKUP_TIMEOUT_MS = 5_000

/** Every address a host name resolves to (all of them: one public address must not hide a private one). */
export async function resolveAll(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '')
  if (net.isIP(bare)) return [bare]
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TargetRefused(`The name ${host} did not resolve in time.`)), LOOKUP_TIMEOUT_MS)
  })
  const lookup = dns.promises.lookup(bare, { all: true, verbatim: true }).then((r) => r.map((a) => a.address))
  lookup.catch(() => {})
  try {
    return await Promise.race([lookup, timeout])
  } catch (err) {
    if (err instanceof TargetRefused) throw err
    throw new TargetRefused(`The name ${host} does not resolve.`)
  } finally {
    clearTimeout(timer)
  }
}

/** Refuses a host whose addresses include a private one (unless allowed). */
export async function checkHost(host: string, allowPrivate: boolean): Promise<void> {
  const addresses = await resolveAll(host)
  if (!addresses.length) throw new TargetRefused(`The name ${host} does not resolve.`)
  if (allowPrivate) return
  const bad = addresses.find(isPrivateAddress)
  if (bad) throw new TargetRefused(`${host} resolves to ${bad}, a private, loopback or link-local address: webhooks may only reach public addresses.`)
}

/**
 * A `lookup` for http.request that checks the addresses at connection time, so that a name that
 * resolved to a public address when the subscription was made cannot be rebound to an internal one.
 */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) return callback(err, '', 4)
      const list = addresses
      if (!list.length) return callback(new TargetRefused(`The name ${hostname} does not resolve.`), '', 4)
      if (!allowPrivate) {
        const bad = list.find((a) => isPrivateAddress(a.address))
        if (bad) return callback(new TargetRefused(`${hostname} resolves to a private address: refused.`), '', 4)
      }
      const wanted = (options).family
      const pick = list.find((a) => !wanted || a.family === wanted) ?? list[0]
      if ((options).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [pick])
      callback(null, pick.address, pick.family)
    })
  }
}
