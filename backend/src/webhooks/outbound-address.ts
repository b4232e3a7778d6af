import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../app-error.js';

/**
 * Where webhooks may not go unless WEBHOOK_ALLOW_PRIVATE=1: this host, its networks and
 * addresses that are no single host (SSRF). IPv4 inside IPv6 (mapped, NAT64) is checked as IPv4.
 */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 address carries (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::a.b.c.d), if any. */
function embeddedIpv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return null;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** True for an address a webhook must not reach. */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return forbidden.check(address, 'ipv4');
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner !== null) return forbidden.check(inner, 'ipv4');
    return forbidden.check(address, 'ipv6');
  }
  return true;
}

export type Resolver = (hostname: string) => Promise<string[]>;

/** Every address the system resolver gives for the name. */
export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true }, (error, addresses: LookupAddress[]) => {
      if (error) reject(error);
      else resolve(addresses.map((entry) => entry.address));
    });
  });

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a subscription's URL when it is registered: the host, or every address its name
 * resolves to, must be allowed. Delivery checks again at connect time (`guardedLookup`).
 * @throws AppError validation_failed naming `url`.
 */
export async function assertWebhookUrlAllowed(raw: string, options: { allowPrivate: boolean; resolve?: Resolver }): Promise<void> {
  if (options.allowPrivate) return;
  const host = hostOf(new URL(raw));
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      throw new AppError('validation_failed', 'The URL could not be checked', { url: 'the host name does not resolve' });
    }
  }
  if (addresses.length === 0 || addresses.some(isForbiddenAddress)) {
    throw new AppError('validation_failed', 'The URL is not allowed', { url: 'must not point to a loopback, private, link-local or multicast address' });
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The `lookup` of the delivery's connection: resolves the name and refuses the connection when
 * any address it gives is forbidden, so a name that resolved to a public address when it was
 * registered and to a private one now (DNS rebinding) is caught where it matters.
 */
export function guardedLookup(resolve: Resolver = systemResolver) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        const refused = addresses.length === 0 || addresses.some(isForbiddenAddress);
        if (refused) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to an address webhooks may not reach`);
          error.code = 'EWEBHOOKADDRESS';
          callback(error, '');
          return;
        }
        const entries = addresses.map((address) => ({ address, family: isIP(address) }));
        if (options.all) callback(null, entries);
        else callback(null, entries[0]!.address, entries[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/** For a URL whose host is an address, no lookup happens: checked here instead. */
export function isForbiddenLiteralHost(url: URL): boolean {
  const host = hostOf(url);
  return isIP(host) !== 0 && isForbiddenAddress(host);
}
