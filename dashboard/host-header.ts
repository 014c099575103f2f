/**
 * The Host header check that stops DNS rebinding: a web page on another site can point its own name
 * at 127.0.0.1 and read this dashboard through it, but its requests then carry that name as Host.
 * The dashboard answers only to names that cannot be rebound: localhost, an IP address, or the name
 * it was told to listen on.
 */
import { isIP } from 'node:net';
import { quoteInput } from './quote-input';

/** The host name of a Host header value (`127.0.0.1:8080` → `127.0.0.1`, `[::1]:80` → `::1`). */
function hostName(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  if (bracketed) return bracketed[1];
  return header.replace(/:\d*$/, '').toLowerCase();
}

/** Why a request's Host header is refused, or undefined when it names this dashboard. */
export function hostProblem(header: string | undefined, listenHost: string, pageUrl: string): string | undefined {
  const fix = `open the dashboard as ${pageUrl}`;
  if (header === undefined || header === '') return `the request has no Host header; ${fix}`;
  const name = hostName(header);
  if (name === 'localhost' || isIP(name) !== 0 || name === listenHost.toLowerCase()) return undefined;
  return `Host ${quoteInput(header)} is not an address of this dashboard, which answers only to localhost, IP addresses and its --host name (so that no other web site can read it); ${fix}`;
}
