import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { promisify } from 'node:util';
import { AppError } from '../errors/app-error.js';

/**
 * Where webhooks may go. Outbound URLs must be https and every address their
 * host resolves to must be public; `WEBHOOK_ALLOW_PRIVATE` lists hosts, IPs or
 * CIDRs that may be reached anyway (tests allowlist loopback), and only those
 * may use plain http. The check runs when a URL is accepted and again, through
 * `pinnedLookup`, on the connection itself, so a DNS answer that changes in
 * between (rebinding) cannot redirect a delivery inside the network.
 */
export interface WebhookUrlPolicy {
  readonly allowedNets: BlockList;
  readonly allowedHosts: ReadonlySet<string>;
}

/** Addresses no webhook may reach unless allowlisted (RFC 6890 special-purpose ranges). */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
// IPv4-mapped addresses (::ffff:a.b.c.d) are matched against the IPv4 rules by BlockList itself.
for (const [net, bits] of [
  ['::', 96],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv6');
}

export function webhookUrlPolicy(allowPrivate: string): WebhookUrlPolicy {
  const allowedNets = new BlockList();
  const allowedHosts = new Set<string>();
  for (const raw of allowPrivate
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [addr, bits] = raw.split('/') as [string, string | undefined];
    const family = isIP(addr);
    if (family === 0) {
      allowedHosts.add(raw.toLowerCase());
    } else if (bits !== undefined) {
      allowedNets.addSubnet(addr, Number(bits), family === 4 ? 'ipv4' : 'ipv6');
    } else {
      allowedNets.addAddress(addr, family === 4 ? 'ipv4' : 'ipv6');
    }
  }
  return { allowedNets, allowedHosts };
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** Whether a resolved address may be connected to under the policy. */
export function addressAllowed(policy: WebhookUrlPolicy, address: string): boolean {
  const family = familyOf(address);
  return policy.allowedNets.check(address, family) || !PRIVATE.check(address, family);
}

function allowlisted(policy: WebhookUrlPolicy, address: string): boolean {
  return policy.allowedNets.check(address, familyOf(address));
}

const lookupAll = promisify(dnsLookup) as unknown as (
  host: string,
  options: { all: true },
) => Promise<LookupAddress[]>;

function notAllowed(message: string): AppError {
  return new AppError('WEBHOOK_URL_NOT_ALLOWED', message);
}

/**
 * Accept a webhook URL or throw WEBHOOK_URL_NOT_ALLOWED: https (http only to
 * allowlisted destinations), no credentials, and a host whose every address is
 * public or allowlisted.
 */
export async function checkWebhookUrl(
  raw: string,
  policy: WebhookUrlPolicy,
  resolve: (host: string) => Promise<LookupAddress[]> = (host) => lookupAll(host, { all: true }),
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw notAllowed('webhook_url is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw notAllowed('webhook_url must be https');
  if (url.username || url.password) throw notAllowed('webhook_url must not carry credentials');
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowedHosts.has(host)) return url;
  let addresses: string[];
  if (isIP(host)) {
    addresses = [host];
  } else {
    try {
      addresses = (await resolve(host)).map((a) => a.address);
    } catch {
      throw notAllowed(`webhook_url host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw notAllowed(`webhook_url host ${host} does not resolve`);
  }
  const refused = addresses.find((a) => !addressAllowed(policy, a));
  if (refused) throw notAllowed(`webhook_url resolves to a private address (${refused})`);
  if (url.protocol === 'http:' && !addresses.every((a) => allowlisted(policy, a))) {
    throw notAllowed('webhook_url must be https');
  }
  return url;
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for http(s).request that resolves as usual and then refuses any
 * address the policy does not allow, so the socket only ever opens to a
 * checked address. Allowlisted host names skip the address check.
 */
export function pinnedLookup(policy: WebhookUrlPolicy) {
  return (hostname: string, options: object, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const list = addresses;
      const ok = policy.allowedHosts.has(hostname.toLowerCase())
        ? list
        : list.filter((a) => addressAllowed(policy, a.address));
      if (ok.length === 0) {
        const refused = Object.assign(
          new Error(`webhook host ${hostname} resolves to a private address`),
          {
            code: 'EADDRNOTALLOWED',
          },
        );
        return callback(refused, []);
      }
      if ((options as { all?: boolean }).all) return callback(null, ok);
      return callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}
