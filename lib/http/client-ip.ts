import { isIP } from 'node:net';

/**
 * The client's address as the reverse proxy in front of the app reports it:
 * the first hop of X-Forwarded-For, else X-Real-IP. Used to key rate limits
 * and nothing that grants access: without a trusted proxy a client can write
 * these headers itself, which only moves it to another rate-limit bucket.
 * Null when neither header holds an IP address.
 */
export function clientIpFrom(headers: { get(name: string): string | null }): string | null {
  const forwarded = headers.get('x-forwarded-for')?.split(',')[0];
  for (const candidate of [forwarded, headers.get('x-real-ip')]) {
    const address = normalise(candidate);
    if (address) return address;
  }
  return null;
}

function normalise(value: string | null | undefined): string | null {
  if (!value) return null;
  let address = value.trim();
  // "[::1]:1234" and "1.2.3.4:1234" as some proxies write them.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  return isIP(address) ? address.toLowerCase() : null;
}
