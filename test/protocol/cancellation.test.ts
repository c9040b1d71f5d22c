// Terraform's Stop/StopProvider (Ctrl-C): reads in flight are cancelled promptly with a clear diagnostic,
// but a create that already reached the Gateway is never abandoned — its token is recorded in the new state,
// and a run token minted during Ctrl-C reaches Close, which revokes it.
import { decode, encode } from "@msgpack/msgpack";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { useTestGateway } from "../support/local-gateway";
import { killAllProviders, launchProvider, type LaunchedProvider } from "../support/plugin-process";
import { dv, ephemeralTokenConfig, errorsOf, providerConfig, rpcNames, UNKNOWN, userConfig } from "./wire-helpers";
import { wireGatewayClient } from "../support/wire-gateway-client";

/** An HTTP proxy in front of the Gateway that, once told to, holds every request until released. */
class HoldingProxy {
  /** Off until a test starts holding: Configure's GetMe (issue 10) passes straight through. */
  holding = false;
  private held: (() => void)[] = [];
  private waiting: (() => void)[] = [];
  private server: Server;
  url = "";
  constructor(private readonly target: string) {
    this.server = createServer((req, res) => this.hold(req, res));
  }
  async start(): Promise<void> {
    await new Promise<void>((done) => this.server.listen(0, "127.0.0.1", done));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }
  private hold(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const forward = () => {
        const upstream = request(`${this.target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        upstream.end(Buffer.concat(chunks));
      };
      if (!this.holding) return forward();
      this.held.push(forward);
      this.waiting.splice(0).forEach((w) => w());
    });
  }
  /** Resolves once a request is being held. */
  whenHolding(): Promise<void> {
    return this.held.length > 0 ? Promise.resolve() : new Promise((done) => this.waiting.push(done));
  }
  release(): void {
    this.held.splice(0).forEach((forward) => forward());
  }
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }
}

const TOKEN_ATTRIBUTES = ["id", "description", "expires_at", "expires_in", "rotate_before", "allow_self_revoke", "token",
  "token_prefix", "identity_id", "created_at", "last_used_at", "expired"];
const COMPUTED = new Set(["id", "token", "token_prefix", "identity_id", "created_at", "last_used_at", "expired", "expires_at"]);

const gateway = useTestGateway();
let proxy: HoldingProxy;
beforeEach(async () => {
  proxy = new HoldingProxy(gateway.url);
  await proxy.start();
});
afterEach(async () => {
  await killAllProviders();
  await proxy.close();
});

describe.each([5, 6])("protocol %i", (version) => {
  const rpc = rpcNames(version);
  let p: LaunchedProvider;
  const configure = async (token: string) => {
    const configured = await p.call(rpc.configure, { terraformVersion: "1.11.0", config: dv(providerConfig({ gateway: proxy.url, token })) });
    proxy.holding = true;
    return configured;
  };

  beforeEach(async () => {
    p = await launchProvider({ offeredVersions: String(version) });
  });

  it("cancels a read in flight and keeps serving", async () => {
    await configure(gateway.mintToken({ subject: `cancel-read-${version}` }));
    // A lookup by username: reading the caller would be answered by Configure's GetMe, shared (no request to hold).
    const byUsername = encode({ ...(decode(userConfig()) as Record<string, unknown>), username: "nobody-yet" });
    const reading = p.call(rpc.readData, { typeName: "agyn_user", config: dv(byUsername) });
    await proxy.whenHolding();
    const stopped = await p.call(rpc.stop);
    expect(stopped.Error).toBe("");
    const errors = errorsOf(await reading);
    expect(errors.map((e) => e.summary)).toEqual(["Cancelled"]);
    expect(errors[0].detail).toMatch(/asked the provider to stop/);
    expect(p.alive()).toBe(true);
    expect((await p.call(rpc.schema)).diagnostics).toEqual([]);
  });

  it("never abandons a create already sent: the token is recorded after Stop", async () => {
    const token = gateway.mintToken({ subject: `cancel-create-${version}` });
    await configure(token);
    const values: Record<string, unknown> = Object.fromEntries(TOKEN_ATTRIBUTES.map((a) => [a, COMPUTED.has(a) ? UNKNOWN : null]));
    values.description = "created during Ctrl-C";
    const config = encode(Object.fromEntries(TOKEN_ATTRIBUTES.map((a) => [a, a === "description" ? values.description : null])));
    const applying = p.call("ApplyResourceChange", {
      typeName: "agyn_api_token",
      priorState: dv(encode(null)),
      plannedState: dv(encode(values)),
      config: dv(config),
    });
    await proxy.whenHolding();
    await p.call(rpc.stop);
    proxy.release();
    const applied = await applying;
    expect(errorsOf(applied)).toEqual([]);
    const state = decode(applied.newState.msgpack) as Record<string, unknown>;
    expect(state.description).toBe("created during Ctrl-C");
    expect(typeof state.id).toBe("string");
    expect(String(state.token)).toMatch(/^agyn_/);
    // And the Gateway really has it.
        const client = wireGatewayClient({ baseUrl: gateway.url, token });
    expect((await client.listApiTokens()).tokens.map((t) => t.id)).toContain(state.id);
    client.close();
  });

  it("never abandons a run token already sent for: Open answers with it after Stop, and Close still revokes it", async () => {
    const token = gateway.mintToken({ subject: `cancel-open-${version}` });
    await configure(token);
    const opening = p.call("OpenEphemeralResource", {
      typeName: "agyn_api_token",
      config: dv(ephemeralTokenConfig({ description: "opened during Ctrl-C" })),
    });
    await proxy.whenHolding();
    await p.call(rpc.stop);
    proxy.release();
    const opened = await opening;
    expect(errorsOf(opened)).toEqual([]);
    const result = decode(opened.result.msgpack) as Record<string, unknown>;
    const client = wireGatewayClient({ baseUrl: gateway.url, token });
    expect((await client.listApiTokens()).tokens.map((t) => t.id)).toContain(result.id);
    // Terraform closes what it opened even after Ctrl-C; the revoke must not be cancelled.
    const closing = p.call("CloseEphemeralResource", { typeName: "agyn_api_token", private: opened.private });
    await proxy.whenHolding();
    proxy.release();
    expect((await closing).diagnostics).toEqual([]);
    expect((await client.listApiTokens()).tokens.map((t) => t.id)).not.toContain(result.id);
    client.close();
  });
});
