// The provider's own CPU per resource, without Terraform: a launched provider (protocol 6, AutoMTLS, as Terraform
// launches it) is sent the calls a command makes for N `agyn_api_token`, ten at a time (Terraform's default
// -parallelism), and its CPU time (all threads, from /proc) is read before and after. Terraform runs on the other
// core during a real command, so this CPU is what a large plan waits for on a 2-core machine.
import { decode, encode } from "@msgpack/msgpack";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { providerConfig } from "../../test/protocol/wire-helpers";
import { killAllProviders, launchProvider, type Decoded, type LaunchedProvider } from "../../test/support/plugin-process";
import { startGatewayProcess } from "./local-gateway-process";
import { processUsage } from "./process-usage";
import { median, ms, table } from "./statistics";

export interface ProviderCallsOptions {
  readonly root: string;
  readonly resources: number;
  readonly rounds: number;
  /** Other built checkouts whose launcher runs the same rounds, interleaved (before/after on a shared machine). */
  readonly compare: readonly string[];
}

const TYPE = "agyn_api_token";
const PARALLELISM = 10;
// Every attribute of agyn_api_token, as Terraform encodes a configuration: all present, null unless given.
const ATTRIBUTES = ["allow_self_revoke", "created_at", "description", "expired", "expires_at", "expires_in", "id", "identity_id",
  "last_used_at", "rotate_before", "token", "token_prefix"] as const;

interface StoredToken {
  /** State as Terraform keeps it (JSON), which UpgradeResourceState reads. */
  readonly json: Uint8Array;
  /** The same state as ApplyResourceChange answered it (msgpack). */
  readonly state: Uint8Array;
  readonly config: Uint8Array;
  readonly private: Uint8Array;
}

/**
 * A value as Terraform passes it on: Terraform decodes every answer into cty and encodes it again for the next
 * call, and cty writes an object's attributes sorted by name (the provider writes them in schema order).
 */
function asTerraformPassesOn(msgpack: Uint8Array): Uint8Array {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return encode(sorted(decode(msgpack)));
}

function configuration(index: number): Uint8Array {
  return encode(Object.fromEntries(ATTRIBUTES.map((a) => [a, a === "description" ? `bench ${index}` : null])));
}

/** Runs `work` for 0..n-1, `PARALLELISM` at a time. */
async function inParallel(n: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(PARALLELISM, n) }, worker));
}

function checked(response: Decoded, what: string): Decoded {
  const errors = (response.diagnostics ?? []).filter((d: { severity: number }) => d.severity === 1);
  if (errors.length) throw new Error(`${what}: ${errors.map((d: { summary: string }) => d.summary).join("; ")}`);
  return response;
}

/** Measures the provider's CPU (ms, all threads) and the wall time a phase took. */
async function measured(p: LaunchedProvider, phase: () => Promise<void>): Promise<Sample> {
  const before = processUsage(p.child.pid).cpuMs ?? Number.NaN;
  const started = performance.now();
  await phase();
  const wallMs = performance.now() - started;
  return { cpuMs: (processUsage(p.child.pid).cpuMs ?? Number.NaN) - before, wallMs };
}

/** A launched provider, configured as Terraform does it (ValidateProviderConfig, then ConfigureProvider, timed into `configures`). */
async function configured(launcher: string, gatewayUrl: string, token: string, configures: Sample[]): Promise<LaunchedProvider> {
  const p = await launchProvider({ offeredVersions: "6", launcher });
  const config = { msgpack: providerConfig({ gateway: gatewayUrl, token }) };
  checked(await p.call("ValidateProviderConfig", { config }), "ValidateProviderConfig");
  configures.push(await measured(p, async () => void checked(await p.call("ConfigureProvider", { terraformVersion: "1.11.0", config }), "ConfigureProvider")));
  return p;
}

export async function providerCallsBenchmark(options: ProviderCallsOptions): Promise<void> {
  const n = options.resources;
  const launchers = [options.root, ...options.compare].map((dir) => join(dir, "bin/terraform-provider-agyn"));
  const scratch = mkdtempSync(join(tmpdir(), "agyn-bench-calls-"));
  const gateway = await startGatewayProcess(options.root, scratch, { countRequests: false });
  const rows: string[][] = [["launcher", "phase (N = " + n + ")", "calls", "provider CPU", "CPU per resource", "CPU per call", "wall"]];
  try {
    const token = gateway.mintToken("bench-calls");
    const samples = launchers.map(() => ({ apply: [] as Sample[], plan: [] as Sample[], destroy: [] as Sample[], configure: [] as Sample[] }));
    for (let round = 0; round < options.rounds; round++) {
      for (const [index, launcher] of launchers.entries()) {
        const phases = await oneRound(launcher, gateway.url, token, n, samples[index].configure);
        samples[index].apply.push(phases.apply);
        samples[index].plan.push(phases.plan);
        samples[index].destroy.push(phases.destroy);
      }
    }
    for (const [index, launcher] of launchers.entries()) {
      const name = index === 0 ? "this checkout" : launcher;
      const figure = (phase: string, calls: number, of: Sample[], perResource = true) => {
        const cpu = median(of.map((s) => s.cpuMs));
        rows.push([name, phase, String(calls), ms(cpu), perResource ? `${((cpu / n) * 1000).toFixed(0)} µs` : "–", `${((cpu / calls) * 1000).toFixed(0)} µs`,
          ms(median(of.map((s) => s.wallMs)))]);
      };
      figure("apply (create)", 2 * n, samples[index].apply);
      figure("no-change plan", 4 * n, samples[index].plan);
      figure("destroy", 2 * n, samples[index].destroy);
      figure("ConfigureProvider (one GetMe)", 1, samples[index].configure, false);
    }
    console.log(`The provider's own CPU per resource (protocol 6, AutoMTLS, ${PARALLELISM} calls in flight, one process per phase ` +
      `as Terraform runs one per command walk, Configure and start-up not counted in the phases; Configure on its own row, every process's), ` +
      `medians of ${options.rounds} interleaved round(s)`);
    console.log(table(rows));
    console.log("");
  } finally {
    await killAllProviders();
    await gateway.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface Sample {
  readonly cpuMs: number;
  readonly wallMs: number;
}

/** Creates n tokens, plans them without change, destroys them: each phase in its own provider process. */
async function oneRound(launcher: string, gatewayUrl: string, token: string, n: number, configures: Sample[]): Promise<{ apply: Sample; plan: Sample; destroy: Sample }> {
  const stored: StoredToken[] = [];
  let p = await configured(launcher, gatewayUrl, token, configures);
  const apply = await measured(p, () => applyTokens(p, n, stored));
  await p.shutdown(60_000);
  p = await configured(launcher, gatewayUrl, token, configures);
  const plan = await measured(p, () => planTokens(p, stored));
  await p.shutdown(60_000);
  p = await configured(launcher, gatewayUrl, token, configures);
  const destroy = await measured(p, () => destroyTokens(p, stored));
  await p.shutdown(60_000);
  return { apply, plan, destroy };
}

/** apply: PlanResourceChange + ApplyResourceChange per new token; what each answered lands in `stored`. */
function applyTokens(p: LaunchedProvider, n: number, stored: StoredToken[]): Promise<void> {
  return inParallel(n, async (i) => {
    const config = configuration(i);
    const plan = checked(await p.call("PlanResourceChange", { typeName: TYPE, priorState: { msgpack: encode(null) },
      proposedNewState: { msgpack: config }, config: { msgpack: config } }), "PlanResourceChange (create)");
    const applied = checked(await p.call("ApplyResourceChange", { typeName: TYPE, priorState: { msgpack: encode(null) },
      plannedState: plan.plannedState, config: { msgpack: config }, plannedPrivate: plan.plannedPrivate }), "ApplyResourceChange (create)");
    const state = decode(applied.newState.msgpack);
    stored[i] = { json: new TextEncoder().encode(JSON.stringify(state)), state: asTerraformPassesOn(applied.newState.msgpack), config, private: applied.private };
  });
}

/** A no-change plan as Terraform's plan walk makes it: UpgradeResourceState, ReadResource, ValidateResourceConfig
 * and PlanResourceChange per token. */
function planTokens(p: LaunchedProvider, stored: readonly StoredToken[]): Promise<void> {
  return inParallel(stored.length, async (i) => {
    const s = stored[i];
    const upgraded = checked(await p.call("UpgradeResourceState", { typeName: TYPE, version: 0n, rawState: { json: s.json } }),
      "UpgradeResourceState");
    const read = checked(await p.call("ReadResource", { typeName: TYPE, currentState: { msgpack: asTerraformPassesOn(upgraded.upgradedState.msgpack) },
      private: s.private }), "ReadResource");
    checked(await p.call("ValidateResourceConfig", { typeName: TYPE, config: { msgpack: s.config } }), "ValidateResourceConfig");
    const refreshed = { msgpack: asTerraformPassesOn(read.newState.msgpack) };
    checked(await p.call("PlanResourceChange", { typeName: TYPE, priorState: refreshed, proposedNewState: refreshed,
      config: { msgpack: s.config }, priorPrivate: read.private }), "PlanResourceChange");
  });
}

/** destroy: PlanResourceChange to null + ApplyResourceChange per token. */
function destroyTokens(p: LaunchedProvider, stored: readonly StoredToken[]): Promise<void> {
  return inParallel(stored.length, async (i) => {
    const s = stored[i];
    const prior = { msgpack: s.state };
    const nothing = { msgpack: encode(null) };
    const planned = checked(await p.call("PlanResourceChange", { typeName: TYPE, priorState: prior, proposedNewState: nothing,
      config: nothing, priorPrivate: s.private }), "PlanResourceChange (destroy)");
    checked(await p.call("ApplyResourceChange", { typeName: TYPE, priorState: prior, plannedState: planned.plannedState, config: nothing,
      plannedPrivate: planned.plannedPrivate }), "ApplyResourceChange (destroy)");
  });
}
