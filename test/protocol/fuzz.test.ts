// Protocol-level fuzz: the launched provider, configured against a local Gateway, gets thousands of seeded
// malformed requests over both protocol versions (test/support/malformed-requests.ts). Every answer must be
// a gRPC OK with diagnostics — no gRPC error, no "this is a bug" diagnostic — no planted secret may come back,
// and the process must still be serving at the end. Replay a run with AGYN_FUZZ_SEED; scale it with
// AGYN_FUZZ_REQUESTS (per protocol). Figures go to AGYN_RELIABILITY_FIGURES when set.
import { appendFileSync } from "node:fs";
import { useTestGateway } from "../support/local-gateway";
import { type FuzzRequest, MalformedRequests, type TypeSchemas, type WireAttribute, fuzzedRpcs } from "../support/malformed-requests";
import { type Decoded, killAllProviders, launchProvider, type LaunchedProvider } from "../support/plugin-process";
import { seededRandom, seedFrom } from "../support/seeded-random";
import { dv, providerConfig } from "./wire-helpers";

const REQUESTS = Number(process.env.AGYN_FUZZ_REQUESTS ?? 1500);
const CONFIGURES = 60;
const CONCURRENCY = 8;
const seed = seedFrom("AGYN_FUZZ_SEED");

const gateway = useTestGateway();
afterAll(killAllProviders);

function typeSchemas(schema: Decoded): TypeSchemas {
  const attributes = (s: Decoded): WireAttribute[] =>
    (s.block.attributes as Decoded[]).map((a) => ({ name: a.name, type: JSON.parse(new TextDecoder().decode(a.type)) }));
  const map = (m: Record<string, Decoded>) => new Map(Object.entries(m).map(([k, v]) => [k, attributes(v)]));
  return { resources: map(schema.resourceSchemas), dataSources: map(schema.dataSourceSchemas) };
}

interface Tally {
  requests: number;
  grpcErrors: string[];
  bugDiagnostics: string[];
  leaks: string[];
  withErrorDiagnostics: number;
  byMethod: Record<string, number>;
}

async function send(p: LaunchedProvider, request: FuzzRequest, planted: readonly string[], tally: Tally): Promise<void> {
  tally.requests++;
  tally.byMethod[request.method] = (tally.byMethod[request.method] ?? 0) + 1;
  let answer: Decoded;
  try {
    answer = await p.call(request.method, request.body);
  } catch (err) {
    tally.grpcErrors.push(`${request.method}: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  const diagnostics = (answer.diagnostics ?? []) as { severity: number; summary: string; detail: string }[];
  if (diagnostics.some((d) => d.severity === 1)) tally.withErrorDiagnostics++;
  const text = JSON.stringify(answer, (_k, v) => (typeof v === "bigint" ? String(v) : v instanceof Uint8Array ? Buffer.from(v).toString("latin1") : v));
  for (const d of diagnostics) {
    if (/^Unexpected error|This is a bug in the provider/.test(`${d.summary} ${d.detail}`)) tally.bugDiagnostics.push(`${request.method}: ${d.summary}: ${d.detail.slice(0, 300)}`);
  }
  for (const secret of planted) {
    // The part after the public prefix, in any response field.
    if (text.includes(secret.slice(8, 20))) tally.leaks.push(request.method);
  }
}

describe.each([6, 5])("protocol %i", (version) => {
  let p: LaunchedProvider;
  let schemas: TypeSchemas;
  const tally: Tally = { requests: 0, grpcErrors: [], bugDiagnostics: [], leaks: [], withErrorDiagnostics: 0, byMethod: {} };
  const started = Date.now();

  beforeAll(async () => {
    p = await launchProvider({ offeredVersions: String(version) });
    const admin = gateway.mintToken({ subject: `fuzz-${version}`, admin: true });
    const configured = await p.call(fuzzedRpcs(version).configure, {
      terraformVersion: "1.11.0",
      config: dv(providerConfig({ gateway: gateway.url, token: admin, request_timeout: "2s", max_retries: 0 })),
    });
    expect(configured.diagnostics).toEqual([]);
    schemas = typeSchemas(await p.call(fuzzedRpcs(version).schema));
  });
  afterAll(() => p?.kill());

  it(`${REQUESTS} malformed requests: every answer is diagnostics, nothing leaks, nothing crashes (seed ${seed})`, async () => {
    const requests = new MalformedRequests(seededRandom(seed + version), version, schemas);
    let sent = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (sent < REQUESTS) {
        sent++;
        await send(p, requests.next(), requests.planted, tally);
      }
    }));
    expect(tally.grpcErrors).toEqual([]);
    expect(tally.bugDiagnostics).toEqual([]);
    expect(tally.leaks).toEqual([]);
    expect(tally.withErrorDiagnostics).toBeGreaterThan(REQUESTS / 4); // the requests really were malformed
    expect(p.alive()).toBe(true);
  });

  it(`${CONFIGURES} malformed provider configurations, then the process still serves`, async () => {
    const requests = new MalformedRequests(seededRandom(seed + version + 100), version, schemas);
    for (let i = 0; i < CONFIGURES; i++) await send(p, requests.configure(gateway.url), requests.planted, tally);
    expect(tally.grpcErrors).toEqual([]);
    expect(tally.bugDiagnostics).toEqual([]);
    expect(tally.leaks).toEqual([]);
    expect(p.alive()).toBe(true);
    expect((await p.call(fuzzedRpcs(version).schema)).diagnostics).toEqual([]);
    expect(p.stderr()).not.toMatch(/FATAL|Uncaught|unhandled/i);
    if (process.env.AGYN_RELIABILITY_FIGURES) {
      appendFileSync(process.env.AGYN_RELIABILITY_FIGURES, `${JSON.stringify({
        fuzz: {
          protocol: version, seed: seed + version, requests: tally.requests, grpcErrors: tally.grpcErrors.length,
          bugDiagnostics: tally.bugDiagnostics.length, leaks: tally.leaks.length, answeredWithErrors: tally.withErrorDiagnostics,
          crashed: !p.alive(), seconds: Math.round((Date.now() - started) / 100) / 10, byMethod: tally.byMethod,
        },
      })}\n`);
    }
  });
});
