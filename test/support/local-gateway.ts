// Starts a local Gateway in-process on a fresh temporary database; tokens are minted at runtime with the
// same code as `agyn-local-gateway mint-token`, so no token-shaped string is ever committed.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintLocalToken } from "../../gateway/local/mint-token";
import { type LocalGatewayTls, startLocalGateway } from "../../gateway/local/server";
import { GatewayStore } from "../../gateway/local/store";

export interface MintOptions {
  readonly subject: string;
  /** Display name when the user is created now. */
  readonly name?: string;
  readonly admin?: boolean;
  /** The token's name. */
  readonly description?: string;
  /** For tests of expiry; the API itself only accepts future expiries. */
  readonly expiresAt?: Date;
}

export interface TestGateway {
  readonly url: string;
  readonly dbPath: string;
  mintToken(options: MintOptions): string;
  /** The Gateway's log ("Method code Nms user-agent=…" per request, "TLS handshake … failed: …"), oldest first. */
  requestLog(): readonly string[];
  /**
   * The log from line `from` on, once some line there matches `pattern`: a request's line is written when its
   * answer has gone out, which the caller may see a moment earlier.
   */
  logFrom(from: number, pattern: RegExp): Promise<string[]>;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** Accepted as the platform's bootstrap (cluster admin) token; make one with newBootstrapToken(). */
  readonly bootstrapToken?: string;
  /** Serve HTTPS with this certificate (see test/support/certificates.ts); the URL is then https://127.0.0.1:<port>. */
  readonly tls?: LocalGatewayTls;
  /** Close idle connections after this long instead of the Gateway's default. */
  readonly idleTimeoutMs?: number;
}

/** A bootstrap admin token made at runtime, so no secret-looking literal is ever committed. */
export function newBootstrapToken(): string {
  return randomBytes(24).toString("hex");
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "agyn-gateway-test-"));
  const dbPath = join(dir, "gateway.db");
  const requests: string[] = [];
  const gateway = await startLocalGateway({
    dbPath,
    bootstrapToken: options.bootstrapToken,
    tls: options.tls,
    idleTimeoutMs: options.idleTimeoutMs,
    log: (line) => requests.push(line),
  });
  // A second connection, like the CLI would open next to a running server.
  const store = GatewayStore.open(dbPath);
  let closed = false;
  return {
    url: gateway.url,
    dbPath,
    mintToken: ({ expiresAt, ...rest }) =>
      mintLocalToken(store, {
        ...rest,
        expiresAt: expiresAt === undefined ? undefined : BigInt(expiresAt.getTime()) * 1000n,
      }).plaintext,
    requestLog: () => requests,
    logFrom: (from, pattern) => waitForLine(requests, from, pattern),
    async close() {
      if (closed) return;
      closed = true;
      store.close();
      await gateway.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One Gateway for the enclosing describe block: started in beforeAll, closed in afterAll. The returned
 * object forwards to it, so tests use it like the Gateway itself.
 */
export function useTestGateway(options: TestGatewayOptions = {}): TestGateway {
  let started: TestGateway | undefined;
  beforeAll(async () => {
    started = await startTestGateway(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  const current = (): TestGateway => {
    if (!started) throw new Error("the test Gateway starts in beforeAll; use it inside a test or hook");
    return started;
  };
  return {
    get url() {
      return current().url;
    },
    get dbPath() {
      return current().dbPath;
    },
    mintToken: (options) => current().mintToken(options),
    requestLog: () => current().requestLog(),
    logFrom: (from, pattern) => current().logFrom(from, pattern),
    close: () => current().close(),
  };
}

async function waitForLine(lines: readonly string[], from: number, pattern: RegExp): Promise<string[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const recent = lines.slice(from);
    if (recent.some((line) => pattern.test(line))) return recent;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the Gateway never logged ${pattern}; it logged ${JSON.stringify(lines.slice(from))}`);
}
