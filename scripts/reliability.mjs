#!/usr/bin/env node
// `npm run reliability`: the figures of the README's Reliability section. Builds, then runs the protocol fuzz
// (test/protocol/fuzz.test.ts) and the fault-injection acceptance test (test/acceptance/fault-injection.test.ts,
// real terraform on protocols 6 and 5) with AGYN_RELIABILITY_FIGURES set, and prints what they wrote. Their
// assertions still hold: a run whose figures break a guarantee fails. Scale and replay with AGYN_FAULT_TOKENS
// (default 40 here), AGYN_FAULT_SEED, AGYN_FUZZ_REQUESTS (per protocol) and AGYN_FUZZ_SEED.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDependencies, root } from "./ensure-dependencies.mjs";

ensureDependencies();
const b = spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root, stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);

const out = mkdtempSync(join(tmpdir(), "agyn-reliability-"));
const figuresFile = join(out, "figures.jsonl");
const jest = spawnSync(
  join(root, "node_modules", ".bin", "jest"),
  ["--ci", "--runInBand", "test/protocol/fuzz.test.ts", "test/acceptance/fault-injection.test.ts"],
  {
    cwd: root,
    stdio: "inherit",
    env: {
      ...process.env,
      AGYN_FAULT_TOKENS: process.env.AGYN_FAULT_TOKENS ?? "40",
      AGYN_RELIABILITY_FIGURES: figuresFile,
      AGYN_REQUIRE_TERRAFORM: "1",
      CHECKPOINT_DISABLE: "1",
    },
  },
);
let lines = [];
try {
  lines = readFileSync(figuresFile, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
} catch {
  // No figures: the tests failed before writing any; jest has said why.
} finally {
  rmSync(out, { recursive: true, force: true });
}

const fuzz = lines.flatMap((l) => (l.fuzz ? [l.fuzz] : []));
const faults = lines.flatMap((l) => (l.faults ? [l.faults] : []));
console.log("\nReliability figures");
for (const f of fuzz) {
  console.log(
    `fuzz, protocol ${f.protocol} (AGYN_FUZZ_SEED=${f.seed - f.protocol}): ${f.requests} malformed requests in ${f.seconds} s; ` +
      `${f.answeredWithErrors} answered with error diagnostics; gRPC errors ${f.grpcErrors}, ` +
      `"bug in the provider" diagnostics ${f.bugDiagnostics}, secrets echoed ${f.leaks}, crashed ${f.crashed ? "yes" : "no"}`,
  );
}
for (const f of faults) {
  const injected = Object.entries(f.proxy.outcomes)
    .filter(([outcome, n]) => outcome !== "pass" && n > 0)
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(", ");
  console.log(
    `faults, protocol ${f.protocol} (AGYN_FAULT_SEED=${f.seed - f.protocol}): ${f.tokens} tokens + ${f.users} users; ${f.proxy.requests} Gateway requests, ` +
      `faults injected: ${injected}; converged in ${f.applies} apply(s), empty plan on plan ${f.plans}, destroyed in ${f.destroys}; ` +
      `tokens minted ${f.tokensMinted}, revoked as orphans by the provider ${f.orphansRevoked}, ` +
      `live but not in state ${f.tokensMinted - f.orphansRevoked - f.tokens}; ${f.seconds} s`,
  );
  for (const [what, errors] of [["applies", f.failedApplyErrors], ["plans", f.failedPlanErrors], ["destroys", f.failedDestroyErrors]]) {
    if (errors?.length > 0) console.log(`  errors of the ${what} that failed: ${[...new Set(errors)].join(" | ")}`);
  }
}
if (jest.status !== 0) console.error("\n✗ a reliability test failed: the figures above are incomplete or break a guarantee");
process.exit(jest.status ?? 1);
