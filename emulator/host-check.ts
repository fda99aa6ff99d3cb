// Which Host headers the emulator answers (issue 16, finding 6). A loopback service reached from a browser through
// DNS rebinding (attacker.example resolving to 127.0.0.1) sees the attacker's name in Host; refusing names that are
// not this server's keeps such pages from driving the emulator. Accepted: localhost, 127.0.0.1, [::1], the bound
// address, and names given with `--allowed-host`, each with or without a port. A request without Host (HTTP/1.0)
// is accepted: browsers always send one. Cost per request: one header split and a set lookup.
import type { IncomingMessage, ServerResponse } from "node:http";
import { WireText } from "../aws/texts.ts";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const WILDCARD_BINDS = new Set(["0.0.0.0", "::", "[::]"]);

/** The host name of a Host header value, lower-cased, without its port; IPv6 literals keep their brackets. */
export function hostName(value: string): string {
  const lower = value.trim().toLowerCase();
  if (lower.startsWith("[")) {
    const close = lower.indexOf("]");
    return close < 0 ? lower : lower.slice(0, close + 1);
  }
  const colon = lower.indexOf(":");
  return colon < 0 ? lower : lower.slice(0, colon);
}

/** `::1` → `[::1]` (a bare IPv6 address has two colons or more); names, `name:port` and IPv4 unchanged. */
function bracketed(address: string): string {
  return !address.startsWith("[") && address.indexOf(":") !== address.lastIndexOf(":") ? `[${address}]` : address;
}

export interface HostCheck {
  allows(host: string | undefined): boolean;
  readonly names: readonly string[];
}

export function hostCheck(boundAddress: string, extra: readonly string[] = []): HostCheck {
  const names = new Set(LOOPBACK_NAMES);
  if (!WILDCARD_BINDS.has(boundAddress)) names.add(bracketed(boundAddress).toLowerCase());
  for (const host of extra) names.add(hostName(bracketed(host)));
  // The last Host value and its verdict (a pure function of the text): a client sends the same Host on every call,
  // so most requests compare one string instead of trimming, lower-casing and cutting it (issue 17).
  let lastHost: string | undefined;
  let lastAllowed = false;
  return {
    names: [...names],
    allows: (host) => {
      if (host === undefined) return true;
      if (host !== lastHost) {
        lastAllowed = names.has(hostName(host));
        lastHost = host.length <= 256 ? ` ${host}`.slice(1) : undefined;
      }
      return lastAllowed;
    },
  };
}

/** Puts the check in front of a request handler: others get 421 Misdirected Request, in the AWS JSON error shape. */
export function withHostCheck(check: HostCheck, handler: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (check.allows(req.headers.host)) {
      handler(req, res);
      return;
    }
    const body = Buffer.from(JSON.stringify({ __type: "MisdirectedRequest", message: WireText.hostNotServed(hostName(req.headers.host ?? "")) }));
    res.writeHead(421, { "Content-Type": "application/x-amz-json-1.1", "Content-Length": body.length, Connection: "close" });
    res.end(body);
    req.resume();
  };
}
