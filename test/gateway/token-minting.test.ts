// Minting a token through faults without ever leaving one behind (gateway/token-minting.ts): the real client
// and the local Gateway, with a fault proxy between them that loses answers, resets, hangs and answers 503.
import type { GatewayClient } from "../../gateway/client";
import { GatewayError } from "../../gateway/gateway-error";
import { MintingFailed, mintApiToken } from "../../gateway/token-minting";
import { Claims } from "../../resources/configuration/claims";
import { FaultProxy } from "../support/fault-proxy";
import { testGatewayClient } from "../support/gateway-client";
import { useTestGateway } from "../support/local-gateway";

const gateway = useTestGateway();
let proxy: FaultProxy;
let owner: string;
let through: GatewayClient;
let direct: GatewayClient;
let claims: Claims;

beforeEach(async () => {
  proxy = await FaultProxy.start(gateway.url);
  owner = gateway.mintToken({ subject: `minter-${Math.random()}` });
  through = testGatewayClient({ baseUrl: proxy.url, token: owner, timeoutMs: 500, maxRetries: 3 });
  direct = testGatewayClient({ baseUrl: gateway.url, token: owner });
  claims = new Claims();
});
afterEach(async () => {
  through.close();
  direct.close();
  await proxy.close();
});

const named = async (name: string) => (await direct.listApiTokens()).filter((t) => t.name === name);

describe("after a create that may have happened", () => {
  it("the token the Gateway made without its answer arriving is revoked, and one new token is minted", async () => {
    proxy.script("CreateAPIToken", "act-then-drop");
    const { minted, failedAttempts } = await mintApiToken(through, { name: "ci" }, claims);
    const live = await named("ci");
    expect(live.map((t) => t.id)).toEqual([minted.token!.id]);
    expect(claims.isClaimed(minted.token!.id)).toBe(true);
    expect(failedAttempts).toHaveLength(1);
    expect(failedAttempts[0].revoked).toHaveLength(1);
    expect(failedAttempts[0].revoked[0]).not.toBe(minted.token!.id);
    expect(minted.plaintext).toMatch(/^agyn_/);
  });

  it.each(["reset", "unavailable", "hang"] as const)("%s: nothing was made, so nothing is revoked and the create is tried again", async (fault) => {
    proxy.script("CreateAPIToken", fault);
    const { minted, failedAttempts } = await mintApiToken(through, { name: `ci-${fault}` }, claims);
    expect((await named(`ci-${fault}`)).map((t) => t.id)).toEqual([minted.token!.id]);
    expect(failedAttempts.map((a) => a.revoked)).toEqual([[]]);
  });

  it("leaves alone a same-named token made before the request, and every token this process claimed", async () => {
    const older = await direct.createApiToken({ name: "shared" });
    const claimed = await direct.createApiToken({ name: "shared" });
    claims.claim(claimed.token!.id);
    await new Promise((r) => setTimeout(r, 2_500)); // the older one falls out of the window (clock slack is 2 s)
    proxy.script("CreateAPIToken", "act-then-drop");
    const { minted, failedAttempts } = await mintApiToken(through, { name: "shared" }, claims);
    const live = (await named("shared")).map((t) => t.id).sort();
    expect(live).toEqual([older.token!.id, claimed.token!.id, minted.token!.id].sort());
    expect(failedAttempts[0].revoked).toHaveLength(1);
  });

  it("parallel creates of one name never take each other's tokens for lost ones", async () => {
    proxy.script("CreateAPIToken", "pass", "act-then-drop", "pass", "act-then-drop", "reset", "pass", "act-then-drop");
    const results = await Promise.all(Array.from({ length: 6 }, () => mintApiToken(through, { name: "fleet" }, claims)));
    const ids = results.map((r) => r.minted.token!.id).sort();
    expect(new Set(ids).size).toBe(6);
    expect((await named("fleet")).map((t) => t.id).sort()).toEqual(ids);
    // Every minted secret works.
    for (const r of results) {
      const c = testGatewayClient({ baseUrl: gateway.url, token: r.minted.plaintext });
      await expect(c.getMe()).resolves.toBeDefined();
      c.close();
    }
  });
});

describe("when it fails for good", () => {
  it("reports the failure after max_retries, with every token it made revoked", async () => {
    const few = testGatewayClient({ baseUrl: proxy.url, token: owner, timeoutMs: 500, maxRetries: 1 });
    try {
      proxy.script("CreateAPIToken", "act-then-drop", "act-then-drop");
      const failure = await mintApiToken(few, { name: "doomed" }, claims).then(() => undefined, (e: unknown) => e);
      expect(failure).toBeInstanceOf(MintingFailed);
      const { failedAttempts, unresolved, lastError } = failure as MintingFailed;
      expect(unresolved).toBeUndefined();
      expect(failedAttempts.flatMap((a) => a.revoked)).toHaveLength(2);
      expect(lastError.code).toBe("unavailable");
      expect(await named("doomed")).toEqual([]);
    } finally {
      few.close();
    }
  });

  it("a definite refusal is reported at once, without a check", async () => {
    const wrong = testGatewayClient({ baseUrl: proxy.url, token: owner.slice(0, -1) + (owner.endsWith("a") ? "b" : "a") });
    try {
      const failure = (await mintApiToken(wrong, { name: "x" }, claims).catch((e: unknown) => e)) as MintingFailed;
      expect(failure.lastError.code).toBe("unauthenticated");
      expect(failure.failedAttempts.map((a) => a.revoked)).toEqual([[]]);
      expect(proxy.stats().byMethod.ListAPITokens).toBeUndefined();
    } finally {
      wrong.close();
    }
  });

  it("when even the check fails, says so with the window to search", async () => {
    const once = testGatewayClient({ baseUrl: proxy.url, token: owner, timeoutMs: 500, maxRetries: 0 });
    try {
      proxy.script("CreateAPIToken", "act-then-drop");
      proxy.script("ListAPITokens", "unavailable");
      const failure = (await mintApiToken(once, { name: "unknown-fate" }, claims).catch((e: unknown) => e)) as MintingFailed;
      expect(failure).toBeInstanceOf(MintingFailed);
      expect(failure.unresolved?.error).toBeInstanceOf(GatewayError);
      expect(failure.unresolved!.window.toMs).toBeGreaterThan(failure.unresolved!.window.fromMs);
      // The token the Gateway made is what the window must catch.
      const [made] = await named("unknown-fate");
      const createdMs = Number(made.createdAt!.seconds) * 1000;
      expect(createdMs).toBeGreaterThanOrEqual(failure.unresolved!.window.fromMs - 1000);
      expect(createdMs).toBeLessThanOrEqual(failure.unresolved!.window.toMs);
    } finally {
      once.close();
    }
  });
});
