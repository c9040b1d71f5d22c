// The real terraform against a Gateway behind a fault-injecting proxy (test/support/fault-proxy.ts): latency,
// 503 from a load balancer, 429 with Retry-After, reset connections, hung requests and answers lost after
// the Gateway acted. N tokens (and a few service users) must converge within a few applies to exactly N
// live tokens, all in state and all working, with an empty plan after; destroy must leave none. Every
// count is written to AGYN_RELIABILITY_FIGURES when set (npm run reliability prints them).
import { appendFileSync } from "node:fs";
import { FaultProxy, type FaultPlan } from "../support/fault-proxy";
import { seedFrom } from "../support/seeded-random";
import { useTestGateway } from "../support/local-gateway";
import { describeWithTerraform, protocols } from "../support/terraform";
import { installTokenAudit, listedTokens, mint, tokenConfig, type TokenWorkdir, useTokenWorkdir, withClient } from "./api-token-support";

const TOKENS = Number(process.env.AGYN_FAULT_TOKENS ?? 10);
const USERS = 2;
const MAX_APPLIES = 4;
const seed = seedFrom("AGYN_FAULT_SEED");

/** About one request in three meets a fault; hangs cost a request_timeout each. */
const plan = (protocol: number): FaultPlan => ({
  seed: seed + protocol,
  rates: { "unavailable": 0.1, "rate-limited": 0.04, "reset": 0.05, "hang": 0.02, "act-then-drop": 0.08, "latency": 0.05 },
  latencyMs: 150,
  retryAfterSeconds: 1,
});

function configuration(proxyUrl: string, protocol: number): string {
  return tokenConfig(proxyUrl, `
resource "agyn_api_token" "fleet" {
  count = ${TOKENS}
  # A few names shared by several tokens: the check after a lost create must tell them apart.
  description = "fleet-\${count.index % 3}"
}

resource "agyn_user" "svc" {
  count        = ${USERS}
  oidc_subject = "svc:fault-${protocol}-\${count.index}"
  name         = "Fault \${count.index}"
}

output "ids" {
  value = agyn_api_token.fleet[*].id
}

output "tokens" {
  value     = agyn_api_token.fleet[*].token
  sensitive = true
}

output "users" {
  value = agyn_user.svc[*].identity_id
}
`, { request_timeout: "2s" });
}

/** Runs `run` until it succeeds, at most `times`; the exit codes, in order. */
async function untilSuccess(times: number, run: () => Promise<{ code: number; stderr: string }>): Promise<{ codes: number[]; errors: string[] }> {
  const codes: number[] = [];
  const errors: string[] = [];
  for (let i = 0; i < times; i++) {
    const r = await run();
    codes.push(r.code);
    if (r.code === 0) break;
    errors.push(...[...r.stderr.matchAll(/Error: (.+)/g)].map((m) => m[1].trim()));
  }
  return { codes, errors };
}

describeWithTerraform("faults between the provider and the Gateway", (tf) => {
  const gateway = useTestGateway();

  describe.each(protocols)("protocol %i", (protocol) => {
    let work: TokenWorkdir;
    useTokenWorkdir(tf, protocol, (w) => (work = w));

    it(`${TOKENS} tokens and ${USERS} users converge to exactly what is configured, and destroy leaves none`, async () => {
      const started = Date.now();
      const proxy = await FaultProxy.start(gateway.url, plan(protocol));
      const audit = installTokenAudit(gateway.dbPath);
      try {
        const admin = mint(gateway, work, { subject: `fault-admin-${protocol}`, admin: true, description: "personal" });
        const env = { TF_VAR_agyn_api_token: admin, TF_LOG_PROVIDER: "" };
        const [personalId] = [...(await listedTokens(gateway, admin)).keys()];
        work.write({ "main.tf": configuration(proxy.url, protocol) });
        const before = audit.events().length;

        const applied = await untilSuccess(MAX_APPLIES, () => work.apply(env));
        expect(applied.codes.at(-1)).toBe(0);

        // All in state, all live on the Gateway, nothing else (looked at directly, past the proxy).
        const ids = (await work.output("ids")) as string[];
        expect(ids).toHaveLength(TOKENS);
        expect(new Set(ids).size).toBe(TOKENS);
        const live = await listedTokens(gateway, admin);
        expect([...live.keys()].filter((id) => id !== personalId).sort()).toEqual([...ids].sort());
        // All working.
        const secrets = ((await work.output("tokens")) as string[]).map((t) => work.secret(t));
        for (const secret of secrets) await withClient(gateway, secret, (c) => c.getMe());
        const users = (await work.output("users")) as string[];
        const subjects = await withClient(gateway, admin, async (c) => (await c.listAllUsers()).map((u) => u.oidcSubject));
        for (let i = 0; i < USERS; i++) expect(subjects.filter((s) => s === `svc:fault-${protocol}-${i}`)).toHaveLength(1);
        expect(new Set(users).size).toBe(USERS);

        // Nothing left to do, even through the faults.
        const planned = await untilSuccess(2, async () => {
          const r = await work.plan(env);
          // A plan with changes (exit 2) is a failure to converge: say which changes.
          const changes = r.code === 2 ? [...r.stdout.matchAll(/# (\S+) (will be|must be) ([^\n]+)/g)].map((m) => `Error: ${m[1]} ${m[2]} ${m[3]}`) : [];
          return { code: r.code === 0 ? 0 : r.code === 2 ? 2 : 1, stderr: `${changes.join("\n")}\n${r.stderr}` };
        });
        expect(planned.codes.at(-1)).toBe(0);

        const afterApply = audit.events().slice(before);
        const destroyed = await untilSuccess(MAX_APPLIES, () => work.destroy(env));
        expect(destroyed.codes.at(-1)).toBe(0);
        expect([...(await listedTokens(gateway, admin)).keys()]).toEqual([personalId]);
        const left = await withClient(gateway, admin, async (c) => (await c.listAllUsers()).filter((u) => u.oidcSubject?.startsWith(`svc:fault-${protocol}-`)));
        expect(left).toEqual([]);

        const figures = {
          protocol, seed: plan(protocol).seed, tokens: TOKENS, users: USERS,
          applies: applied.codes.length, plans: planned.codes.length, destroys: destroyed.codes.length,
          tokensMinted: afterApply.filter((e) => e.op === "create").length,
          orphansRevoked: afterApply.filter((e) => e.op === "revoke").length,
          failedApplyErrors: applied.errors, failedPlanErrors: planned.errors, failedDestroyErrors: destroyed.errors,
          proxy: proxy.stats(), seconds: Math.round((Date.now() - started) / 1000),
        };
        // Every token minted during the applies is either in state or was revoked by the provider itself.
        expect(figures.tokensMinted - figures.orphansRevoked).toBe(TOKENS);
        if (process.env.AGYN_RELIABILITY_FIGURES) appendFileSync(process.env.AGYN_RELIABILITY_FIGURES, `${JSON.stringify({ faults: figures })}\n`);
        expect(work.humanRunCount).toBeGreaterThan(2);
      } finally {
        audit.close();
        await proxy.close();
      }
    }, 600_000);
  });
});
