// Which client a request comes from, for rate limits and the per-address cap of open login
// challenges. Behind `hops` trusted proxies that each append the address they were connected from
// to X-Forwarded-For, only the last `hops` entries are written by those proxies; everything left
// of them is written by the client and ignored. The client is therefore the entry `hops` places
// from the right (hops = 1: the right-most entry). IPv6 clients are keyed on their /64, the
// smallest block one subscriber usually gets, so rotating the low 64 bits starts no new bucket.

import { isIP } from 'node:net';

/** The client's address: the remote peer, or the entry the trusted proxy hops appended. */
export function clientAddress(remote: string | undefined, forwarded: string | string[] | undefined, hops: number) {
  if (hops > 0 && forwarded !== undefined) {
    // Node joins repeated X-Forwarded-For headers with ", "; an array is joined the same way.
    const entries = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e !== '');
    // Fewer entries than hops: the proxies wrote all of them, and the left-most is the farthest.
    const entry = entries[Math.max(0, entries.length - hops)];
    if (entry !== undefined && isIP(unmapped(entry)) !== 0) return addressKey(entry);
  }
  return remote ? addressKey(remote) : 'unknown';
}

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is the IPv4 address. */
function unmapped(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

/** The limit key of an address: IPv4 as is, IPv6 as its /64 prefix (`2001:db8:1:2::/64`). */
export function addressKey(address: string): string {
  const ip = unmapped(address);
  if (isIP(ip) !== 6) return ip;
  const zone = ip.indexOf('%');
  const bare = zone < 0 ? ip : ip.slice(0, zone);
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // A trailing dotted IPv4 part stands for two groups (only their count matters here).
  if (right.at(-1)?.includes('.')) right.push('0');
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const prefix = groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
