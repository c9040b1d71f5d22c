// The Gateway's base URL: what makes one acceptable, and its one canonical spelling. Checked in
// `terraform validate` (with attribute paths), again at Configure, and by the client before any request.

export interface GatewayUrlProblem {
  readonly summary: string;
  readonly detail: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname) ||
    hostname.toLowerCase().endsWith(".localhost");
}

/** Why the URL cannot be the Gateway's, or undefined. Plain http:// is for loopback unless allowed. */
export function gatewayUrlProblem(value: string, allowInsecureHttp: boolean): GatewayUrlProblem | undefined {
  const meant = withForgottenScheme(value);
  if (meant) {
    return { summary: "Invalid Gateway URL", detail: `${shown(value)} has no scheme (https://, or http:// on loopback). Did you mean ${shown(meant)}?` };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { summary: "Invalid Gateway URL", detail: `${shown(value)} is not a URL. Use e.g. https://gateway.agyn.example.com.` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { summary: "Invalid Gateway URL", detail: `The Gateway URL must use https:// (or http:// on loopback), not ${url.protocol}//.` };
  }
  if (url.username || url.password || url.search || url.hash) {
    return { summary: "Invalid Gateway URL", detail: "The Gateway URL must not contain credentials, a query or a fragment." };
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && !allowInsecureHttp) {
    return {
      summary: "Insecure Gateway URL",
      detail: `${url.origin} uses plain http:// to a host that is not loopback, so the bearer token would cross the network unencrypted. ` +
        "Use https://, or set allow_insecure_http = true if this is deliberate (e.g. a local Gateway in a CI service container).",
    };
  }
  return undefined;
}

/**
 * "localhost:8080" or "gateway.example.com" as the URL it probably meant (http:// for loopback, else https://), or
 * undefined when the value has a scheme or is not a host at all. Without this, URL reads "localhost:" as the scheme.
 */
function withForgottenScheme(value: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || !/^[\w.-]+(:\d+)?(\/|$)/.test(value)) return undefined;
  try {
    const { hostname } = new URL(`http://${value}`);
    return `${isLoopbackHost(hostname) ? "http" : "https"}://${value}`;
  } catch {
    return undefined;
  }
}

/** The value as a message may show it: quoted, and cut short (it may be anything, of any length). */
function shown(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

/**
 * The canonical base URL (no trailing slash: Connect appends "/<service>/<method>"). Throws with the
 * problem's detail when the URL is unusable; whether plain http is allowed is the caller's decision.
 */
export function canonicalGatewayUrl(value: string): string {
  const problem = gatewayUrlProblem(value, true);
  if (problem) throw new Error(problem.detail);
  const url = new URL(value);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/** Whether two spellings name the same Gateway (a profile's token may only go to its own Gateway). */
export function sameGatewayUrl(a: string, b: string): boolean {
  try {
    return canonicalGatewayUrl(a) === canonicalGatewayUrl(b);
  } catch {
    return a === b;
  }
}
