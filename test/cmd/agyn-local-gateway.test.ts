// The agyn-local-gateway command as users run it: the esbuild bundle behind the POSIX launcher
// (reached through a symlink, as a package manager would install it; test/support/local-gateway-command.ts).
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { ADMIN_TOKEN_ENV, LEGACY_ADMIN_TOKEN_ENV } from "../../cmd/agyn-local-gateway";
import { API_TOKEN_PATTERN } from "../../gateway/token-format";
import { ClusterRole } from "../../gen/agynio/api/users/v1/users_pb";
import { createPrivateCa, expiredYesterday } from "../support/certificates";
import { type LocalGatewayCommand, buildLocalGatewayCommand } from "../support/local-gateway-command";
import { testGatewayClient } from "../support/gateway-client";
import { wireGatewayClient } from "../support/wire-gateway-client";

let dir: string;
let command: LocalGatewayCommand;
const run = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => command.run(args, extraEnv);
const startServe = (db: string, extraArgs: string[] = [], extraEnv: NodeJS.ProcessEnv = {}) => command.startServe(db, extraArgs, extraEnv);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "agyn-cli-test-"));
  command = buildLocalGatewayCommand(dir);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("mint-token prints exactly one token line and nothing else", () => {
  const db = join(dir, "mint.db");
  const first = run(["mint-token", "--db", db, "--subject", "oidc|alice", "--name", "Alice", "--admin"]);
  expect(first.status).toBe(0);
  expect(first.stdout).toMatch(/^agyn_[0-9A-Za-z]{44}\n$/);
  const second = run(["mint-token", "--db", db, "--subject", "oidc|alice", "--description", "second"]);
  expect(second.stdout.trim()).toMatch(API_TOKEN_PATTERN);
  expect(second.stdout).not.toBe(first.stdout);
});

test("mint-token says on stderr which user the token is for, with the username lookups need", () => {
  const db = join(dir, "mint-username.db");
  const minted = run(["mint-token", "--db", db, "--subject", "oidc|grace", "--name", "Grace Hopper"]);
  expect(minted.status).toBe(0);
  expect(minted.stdout).toMatch(/^agyn_[0-9A-Za-z]{44}\n$/);
  expect(minted.stderr).toMatch(/^agyn-local-gateway: token for user "grace-hopper" \(identity [0-9a-f-]{36}, subject oidc\|grace\); look it up with username = "grace-hopper"\n$/);
  expect(minted.stderr).not.toContain(minted.stdout.trim().slice(8));
});

test("mint-token --admin says when it grants the role to a user that existed without it, and only then", () => {
  const db = join(dir, "mint-promote.db");
  const args = ["mint-token", "--db", db, "--subject", "oidc|ada", "--name", "Ada"];
  expect(run(args).stderr).not.toContain("cluster admin");
  const promoted = run([...args, "--admin"]);
  expect(promoted.status).toBe(0);
  expect(promoted.stderr).toMatch(/username = "ada"; the existing user was granted the cluster admin role \(minting without --admin does not take it back\)\n$/);
  expect(run([...args, "--admin"]).stderr).not.toContain("granted");
  expect(run(["mint-token", "--db", db, "--subject", "oidc|new-admin", "--admin"]).stderr).not.toContain("granted");
});

test("serve answers requests pipelined on one connection, warns of no listener leak and logs every call by shutdown", async () => {
  const db = join(dir, "pipelined.db");
  const server = startServe(db);
  try {
    const url = new URL(await server.url);
    const token = run(["mint-token", "--db", db, "--subject", "oidc|pipeliner"]).stdout.trim();
    const head = "POST /agynio.api.gateway.v1.UsersGateway/GetMe HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/proto\r\n";
    const request = `${head}Connect-Protocol-Version: 1\r\nAuthorization: Bearer ${token}\r\nContent-Length: 0\r\n\r\n`;
    const socket = connect(Number(url.port), url.hostname);
    const answers = await new Promise<string>((resolveAnswers, reject) => {
      let received = "";
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
        if ((received.match(/HTTP\/1\.1 /g) ?? []).length === 30) resolveAnswers(received);
      });
      socket.on("error", reject);
      socket.write(request.repeat(30));
    });
    socket.destroy();
    expect(answers.match(/HTTP\/1\.1 \d+/g)).toEqual(Array(30).fill("HTTP/1.1 200"));
  } finally {
    server.child.kill("SIGTERM");
  }
  expect(await server.exit).toBe(0);
  const log = server.stderr.join("");
  expect(log).not.toContain("MaxListenersExceededWarning");
  expect(log.match(/^agyn-local-gateway: GetMe ok /gm)).toHaveLength(30);
});

test("serve prints its URL first, serves tokens minted meanwhile, and exits 0 on SIGTERM", async () => {
  const db = join(dir, "serve.db");
  const server = startServe(db);
  try {
    const url = await server.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // mint-token writes to the same file while the server holds it open.
    const token = run(["mint-token", "--db", db, "--subject", "oidc|ops", "--name", "Ops", "--admin"]).stdout.trim();
    const client = wireGatewayClient({ baseUrl: url, token });
    const me = await client.getMe();
    client.close();
    expect(me.clusterRole).toBe(ClusterRole.ADMIN);
    expect(me.user?.username).toBe("ops");
    const json = await fetch(`${url}/api/agynio.api.users.v1.UsersGateway/GetMe`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: "{}",
    });
    expect(json.status).toBe(200);
    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
    expect(server.stdout).toEqual([url]);
    expect(server.stderr.join("")).toMatch(/GetMe ok/);
    expect(server.stderr.join("")).not.toContain(token);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("serve also stops cleanly on SIGINT", async () => {
  const server = startServe(join(dir, "sigint.db"));
  try {
    await server.url;
    server.child.kill("SIGINT");
    expect(await server.exit).toBe(0);
  } finally {
    server.child.kill("SIGKILL");
  }
});

test("kill -9 in the middle of a write burst loses no acknowledged write", async () => {
  const db = join(dir, "kill.db");
  const token = run(["mint-token", "--db", db, "--subject", "oidc|burst", "--admin"]).stdout.trim();
  const server = startServe(db);
  const acknowledged = { tokens: new Set<string>(), users: new Set<string>() };
  const call = async (method: string, body: unknown) => {
    const response = await fetch(`${await server.url}/agynio.api.gateway.v1.UsersGateway/${method}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status}`);
    return (await response.json()) as { token?: { id: string }; user?: { meta: { id: string } } };
  };
  let killed = false;
  // Eight writers: API tokens and users, each recorded only once its answer has arrived.
  const writer = async (n: number) => {
    for (let i = 0; !killed; i++) {
      try {
        if (i % 2 === 0) acknowledged.tokens.add((await call("CreateAPIToken", { name: `burst ${n}.${i}` })).token!.id);
        else acknowledged.users.add((await call("CreateUser", { oidcSubject: `oidc|burst-${n}-${i}` })).user!.meta.id);
      } catch {
        return; // the server is gone
      }
      if (acknowledged.tokens.size + acknowledged.users.size >= 150 && !killed) {
        killed = true;
        server.child.kill("SIGKILL"); // while the other writers still have requests in flight
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: 8 }, (_, n) => writer(n)));
  } finally {
    server.child.kill("SIGKILL");
  }
  expect(await server.exit).toBe(null); // killed, not exited
  expect(acknowledged.tokens.size + acknowledged.users.size).toBeGreaterThanOrEqual(150);

  const restarted = startServe(db);
  try {
    const client = wireGatewayClient({ baseUrl: await restarted.url, token });
    try {
      const tokens = new Set((await client.listApiTokens()).tokens.map((t) => t.id));
      const users = new Set((await client.listAllUsers(100)).map((u) => u.meta!.id));
      expect([...acknowledged.tokens].filter((id) => !tokens.has(id))).toEqual([]);
      expect([...acknowledged.users].filter((id) => !users.has(id))).toEqual([]);
    } finally {
      client.close();
    }
  } finally {
    restarted.child.kill("SIGKILL");
  }
  const check = new Database(db, { readonly: true });
  try {
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
  } finally {
    check.close();
  }
});

describe("serve over TLS", () => {
  const ca = createPrivateCa();
  /** Writes a certificate and key for this test; returns their paths. */
  const pair = (name: string, options: Parameters<typeof ca.issueServerCertificate>[0] = {}) => {
    const issued = ca.issueServerCertificate(options);
    const cert = join(dir, `${name}-cert.pem`);
    const key = join(dir, `${name}-key.pem`);
    writeFileSync(cert, issued.cert);
    writeFileSync(key, issued.key, { mode: 0o600 });
    return { cert, key };
  };

  test("--tls-cert and --tls-key serve https at the host the certificate names", async () => {
    const { cert, key } = pair("localhost");
    const db = join(dir, "tls.db");
    const token = run(["mint-token", "--db", db, "--subject", "oidc|tls"]).stdout.trim();
    const server = startServe(db, ["--host", "localhost", "--tls-cert", cert, "--tls-key", key]);
    try {
      const url = await server.url;
      expect(url).toMatch(/^https:\/\/localhost:\d+$/);
      const client = testGatewayClient({ baseUrl: url, token, caPem: ca.certPem });
      try {
        expect((await client.getMe()).user?.oidcSubject).toBe("oidc|tls");
      } finally {
        client.close();
      }
      server.child.kill("SIGTERM");
      expect(await server.exit).toBe(0);
      const stderr = server.stderr.join("");
      expect(stderr).toMatch(/TLS: certificate for DNS:localhost, IP Address:127\.0\.0\.1, valid until \d{4}-/);
      expect(stderr).not.toMatch(/warning/);
    } finally {
      server.child.kill("SIGKILL");
    }
  });

  test.each([
    ["has expired", "expired", expiredYesterday(), [], /warning: the certificate expired on \d{4}-\d\d-\d\dT[\d:]+Z; clients will refuse https:\/\/127\.0\.0\.1:\d+/],
    [
      "does not name the host in the URL",
      "other-host",
      { dnsNames: ["gateway.example.test"], ipAddresses: [] },
      [],
      /warning: the certificate does not name 127\.0\.0\.1, the host in the URL \(--host sets it\); clients will refuse/,
    ],
  ])("a certificate that %s is served with a warning", async (_what, name, options, args, warning) => {
    const { cert, key } = pair(name, options);
    const server = startServe(join(dir, `${name}.db`), [...args, "--tls-cert", cert, "--tls-key", key]);
    try {
      await server.url;
      server.child.kill("SIGTERM");
      await server.exit;
      expect(server.stderr.join("")).toMatch(warning);
    } finally {
      server.child.kill("SIGKILL");
    }
  });

  test("a key that belongs to another certificate, an unreadable file or a non-PEM file is refused before serving", () => {
    const first = pair("first");
    const second = pair("second");
    const db = join(dir, `tls-refused-${randomUUID()}.db`);
    const mismatch = run(["serve", "--db", db, "--tls-cert", first.cert, "--tls-key", second.key]);
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toBe(`agyn-local-gateway: --tls-key ${second.key} is not the private key of the certificate in --tls-cert ${first.cert}\n`);
    const missing = run(["serve", "--db", db, "--tls-cert", join(dir, "nope.pem"), "--tls-key", first.key]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/cannot read --tls-cert .*nope\.pem: ENOENT/);
    const swapped = run(["serve", "--db", db, "--tls-cert", first.key, "--tls-key", first.cert]);
    expect(swapped.status).toBe(1);
    expect(swapped.stderr).toMatch(/--tls-cert .*first-key\.pem holds no PEM certificate/);
    expect(existsSync(db)).toBe(false);
  });

  test("one of the two flags alone is a usage error", () => {
    const result = run(["serve", "--db", join(dir, "half.db"), "--tls-cert", pair("half").cert]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--tls-cert and --tls-key go together: give both or neither/);
  });
});

describe("serve with a bootstrap admin token", () => {
  // Generated per run: never a committed literal.
  const adminToken = randomBytes(24).toString("hex");

  test.each([
    ["the documented variable", [], { [ADMIN_TOKEN_ENV]: adminToken }, ADMIN_TOKEN_ENV],
    ["the older variable name", [], { [LEGACY_ADMIN_TOKEN_ENV]: adminToken }, LEGACY_ADMIN_TOKEN_ENV],
    ["--admin-token", ["--admin-token", adminToken], {}, "--admin-token"],
  ])("from %s it manages users, is refused by GetMe, and is never printed", async (_how, args, extraEnv, source) => {
    const server = startServe(join(dir, `admin-${randomUUID()}.db`), args as string[], extraEnv);
    try {
      const client = wireGatewayClient({ baseUrl: await server.url, token: adminToken });
      try {
        const created = await client.createUser({ oidcSubject: "oidc|first", clusterRole: ClusterRole.ADMIN });
        expect((await client.getUser(created.user!.meta!.id)).clusterRole).toBe(ClusterRole.ADMIN);
        await expect(client.getMe()).rejects.toMatchObject({
          code: "permission_denied",
          gatewayMessage: expect.stringContaining("the bootstrap admin token has no user record"),
        });
      } finally {
        client.close();
      }
      server.child.kill("SIGTERM");
      expect(await server.exit).toBe(0);
      const stderr = server.stderr.join("");
      expect(stderr).toContain(`bootstrap admin token accepted (from ${source})`);
      expect(stderr).toMatch(/CreateUser ok/);
      expect(stderr).not.toContain(adminToken);
      expect(server.stdout.join("\n")).not.toContain(adminToken);
      // Only the flag leaks into ps, and serve says so.
      if (source === "--admin-token") expect(stderr).toMatch(/visible to other local users in ps; prefer AGYN_LOCAL_GATEWAY_ADMIN_TOKEN/);
      else expect(stderr).not.toMatch(/visible to other local users/);
    } finally {
      server.child.kill("SIGKILL");
    }
  });

  test("--admin-token wins over the variable", async () => {
    const other = randomBytes(24).toString("hex");
    const server = startServe(join(dir, `admin-${randomUUID()}.db`), ["--admin-token", adminToken], { [ADMIN_TOKEN_ENV]: other });
    try {
      const url = await server.url;
      const viaFlag = wireGatewayClient({ baseUrl: url, token: adminToken });
      const viaEnv = wireGatewayClient({ baseUrl: url, token: other });
      try {
        await expect(viaFlag.listUsers()).resolves.toBeDefined();
        await expect(viaEnv.listUsers()).rejects.toMatchObject({ code: "unauthenticated" });
      } finally {
        viaFlag.close();
        viaEnv.close();
      }
    } finally {
      server.child.kill("SIGKILL");
    }
  });

  // Built at runtime; "agyn_" plus 32 hex characters is not token-shaped (that needs 44 base62).
  const agynLike = `agyn_${randomBytes(16).toString("hex")}`;
  const short = randomBytes(7).toString("hex");
  const spaced = `${randomBytes(8).toString("hex")} ${randomBytes(8).toString("hex")}`;
  test.each([
    ["too short (variable)", short, [], { [ADMIN_TOKEN_ENV]: short }, /\(AGYN_LOCAL_GATEWAY_ADMIN_TOKEN\) must be at least 16 characters/],
    ["too short (flag)", short, ["--admin-token", short], {}, /\(--admin-token\) must be at least 16 characters/],
    ["starting with agyn_", agynLike, [], { [ADMIN_TOKEN_ENV]: agynLike }, /must not start with agyn_/],
    ["starting with agyn_ (older variable)", agynLike, [], { [LEGACY_ADMIN_TOKEN_ENV]: agynLike }, /\(AGYN_LOCAL_GATEWAY_BOOTSTRAP_TOKEN\) must not start with agyn_/],
    ["with whitespace", spaced, ["--admin-token", spaced], {}, /must not contain whitespace/],
    [
      "set differently under both names",
      adminToken,
      [],
      { [ADMIN_TOKEN_ENV]: adminToken, [LEGACY_ADMIN_TOKEN_ENV]: randomBytes(24).toString("hex") },
      /both set, to different values; set only one/,
    ],
  ])("a token %s is refused before serving, without echoing it", (_why, token, args, extraEnv, message) => {
    const db = join(dir, `refused-${randomUUID()}.db`);
    const result = run(["serve", "--db", db, ...(args as string[])], extraEnv);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain(token);
    expect(existsSync(db)).toBe(false);
  });
});

test.each([
  [[], /missing command/],
  [["launch"], /unknown command "launch"/],
  [["serve"], /--db FILE is required/],
  [["serve", "--db", "x.db", "--port", "http"], /--port must be a whole number/],
  [["serve", "--db", "x.db", "--port", "70000"], /--port must be at most 65535/],
  [["mint-token", "--db", "x.db"], /--subject SUBJECT is required/],
  [["mint-token", "--db", "x.db", "--subject", "s", "--colour", "red"], /Unknown option '--colour'/],
  [["mint-token", "--db", "x.db", "--subject", ""], /--subject SUBJECT must not be empty/],
])("usage error %j exits 2 with a message on stderr", (args, message) => {
  const result = run(args as string[]);
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
  expect(result.stderr).toMatch(/Usage:/);
});

test("help goes to stdout", () => {
  const result = run(["--help"]);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^Usage:/);
});

test("the launcher reports a missing Node.js clearly", () => {
  const result = run(["--help"], { AGYN_NODE: join(dir, "no-such-node") });
  expect(result.status).toBe(127);
  expect(result.stderr).toMatch(/AGYN_NODE=.*no-such-node is not an executable Node.js/);
});
