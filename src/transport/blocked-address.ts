// Which IP addresses and host names an outbound fetch on a client's behalf must never reach (SSRF guard).
import { isIP } from 'node:net';

/** Names that reach cloud metadata services (or this machine) without looking like an IP. */
const BLOCKED_NAMES = new Set(['metadata.google.internal', 'metadata', 'localhost']);

/** [first address as a number, prefix length, what it is] */
const BLOCKED_V4: ReadonlyArray<readonly [number, number, string]> = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'carrier-grade NAT'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

function v4(address: string): number {
  return address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

/** Lower-cased, without a trailing dot and without IPv6 brackets. */
export function normaliseHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

export function isBlockedName(host: string): boolean {
  const name = normaliseHost(host);
  return BLOCKED_NAMES.has(name) || name.endsWith('.localhost');
}

/** Why an address is refused ('loopback', 'private', …), or undefined when it is a public address. */
export function blockedAddressKind(address: string): string | undefined {
  const plain = normaliseHost(address);
  const family = isIP(plain);
  if (family === 4) return blockedV4(v4(plain));
  if (family === 6) return blockedV6(plain);
  return 'not an IP address';
}

function blockedV4(value: number): string | undefined {
  for (const [start, prefix, kind] of BLOCKED_V4) {
    const size = 2 ** (32 - prefix);
    if (value >= start && value < start + size) return kind;
  }
  return undefined;
}

function blockedV6(address: string): string | undefined {
  const groups = v6Groups(address);
  if (!groups) return 'not an IP address';
  const first = groups[0];
  if (groups.every((group) => group === 0)) return 'unspecified';
  if (groups.slice(0, 7).every((group) => group === 0) && groups[7] === 1) return 'loopback';
  if ((first & 0xfe00) === 0xfc00) return 'private';
  if ((first & 0xffc0) === 0xfe80) return 'link-local';
  if ((first & 0xffc0) === 0xfec0) return 'site-local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  const embedded = embeddedV4(groups);
  if (embedded !== undefined) {
    const kind = blockedV4(embedded);
    return kind ? `IPv4-mapped ${kind}` : undefined;
  }
  return undefined;
}

/** IPv4 inside IPv6: mapped `::ffff:a.b.c.d`, compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`. */
function embeddedV4(groups: number[]): number | undefined {
  const low = groups[6] * 65536 + groups[7];
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return low;
  if (zeros(0, 6)) return low;
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return low;
  return undefined;
}

/** Eight 16-bit groups of an IPv6 address (with a dotted IPv4 tail expanded), or undefined. */
function v6Groups(address: string): number[] | undefined {
  let text = address.split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const value = v4(dotted[1]);
    text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) =>
    part ? part.split(':').map((group) => parseInt(group, 16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 0) return undefined;
  const groups = [...left, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
  return groups.some((group) => Number.isNaN(group)) ? undefined : groups;
}
