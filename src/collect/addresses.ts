/**
 * Which destinations collect may fetch. The links it follows come from sites nobody here
 * controls: one (or a redirect) naming 169.254.169.254, an intranet host or a name that
 * resolves to one would make a worker inside the operator's network send it a GET. Private,
 * loopback, link-local and reserved addresses are refused, checked on the address a name
 * resolves to when the connection is made (so a name that resolves elsewhere the second time
 * cannot slip past a check made before).
 */
import { type LookupAddress, type LookupOptions, lookup } from 'node:dns';
import { isIP } from 'node:net';

type Range = readonly [prefix: string, bits: number, kind: string];

const LOOPBACK = 'a loopback address';
const PRIVATE = 'a private network address';
const LINK_LOCAL = 'a link-local address (cloud metadata services answer on 169.254.169.254)';
const RESERVED = 'a reserved address';

const IPV4: readonly Range[] = [
  ['0.0.0.0', 8, 'an unspecified address (it reaches this machine)'],
  ['10.0.0.0', 8, PRIVATE],
  // Carrier-grade NAT space; Alibaba Cloud's metadata service answers on 100.100.100.200.
  ['100.64.0.0', 10, 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, LOOPBACK],
  ['169.254.0.0', 16, LINK_LOCAL],
  ['172.16.0.0', 12, PRIVATE],
  ['192.0.0.0', 24, RESERVED],
  ['192.168.0.0', 16, PRIVATE],
  ['198.18.0.0', 15, RESERVED],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, RESERVED],
];

const IPV6: readonly Range[] = [
  ['::', 128, 'an unspecified address (it reaches this machine)'],
  ['::1', 128, LOOPBACK],
  ['fc00::', 7, 'a unique local (private network) address'],
  ['fe80::', 10, 'a link-local address'],
  ['ff00::', 8, 'a multicast address'],
];

/** IPv6 forms that carry an IPv4 address, which is what they reach: [prefix, bits, offset of the IPv4 bytes]. */
const CARRYING_IPV4: readonly [string, number, number][] = [
  ['::ffff:0:0', 96, 12], // IPv4-mapped
  ['::', 96, 12], // IPv4-compatible (deprecated, still routed by some stacks)
  ['64:ff9b::', 96, 12], // NAT64
  ['2002::', 16, 2], // 6to4
];

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

function ipv6Bytes(address: string): number[] {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = ipv4Bytes(dotted[1]);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function within(bytes: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const bit = (b: readonly number[]) => ((b[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
    if (bit(bytes) !== bit(prefix)) return false;
  }
  return true;
}

function kindOf(bytes: readonly number[], ranges: readonly Range[], parse: (a: string) => number[]) {
  // The most specific range wins (::1 is inside ::/96).
  let best: Range | undefined;
  for (const range of ranges)
    if (within(bytes, parse(range[0]), range[1]) && (!best || range[1] > best[1])) best = range;
  return best?.[2] ?? null;
}

/** What kind of address collect must not fetch from `address` is (an IP literal), or null when it may. */
export function privateKind(address: string): string | null {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return kindOf(ipv4Bytes(bare), IPV4, ipv4Bytes);
  if (family !== 6) return null;
  const bytes = ipv6Bytes(bare.replace(/%.*$/, ''));
  const own = kindOf(bytes, IPV6, ipv6Bytes);
  if (own) return own;
  for (const [prefix, bits, at] of CARRYING_IPV4) {
    if (!within(bytes, ipv6Bytes(prefix), bits)) continue;
    const inner = bytes.slice(at, at + 4);
    const kind = kindOf(inner, IPV4, ipv4Bytes);
    if (kind) return `${kind} (${inner.join('.')} in IPv6 form)`;
  }
  return null;
}

/** A connection refused because its name resolved to a private address (the check at connect time). */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor(
    readonly address: string,
    readonly kind: string,
  ) {
    super(`resolves to ${address}, ${kind}`);
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request that resolves every address of the name and refuses them all
 * when one is private: the connection is made only to an address checked here, whatever the
 * name resolves to on another lookup.
 */
export function checkedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    for (const { address } of addresses) {
      const kind = privateKind(address);
      if (kind) return callback(new PrivateAddressError(address, kind), []);
    }
    const [first] = addresses;
    if (options.all || !first) return callback(null, addresses);
    callback(null, first.address, first.family);
  });
}

/** Resolves `hostname` (an IP literal as is) and says why it may not be fetched, or null when it may or cannot be resolved. */
export async function privateDestination(
  hostname: string,
): Promise<{ address: string; kind: string; literal: boolean } | null> {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isIP(bare)) {
    const kind = privateKind(bare);
    return kind ? { address: bare, kind, literal: true } : null;
  }
  const addresses = await new Promise<LookupAddress[]>((resolve) =>
    lookup(bare, { all: true }, (error, found) => resolve(error ? [] : found)),
  );
  for (const { address } of addresses) {
    const kind = privateKind(address);
    if (kind) return { address, kind, literal: false };
  }
  return null;
}
