// `npm run bench [-- options]`: prints figures, asserts nothing. Parts (all by default, or --only a,b):
//   startup    exec → handshake and → first answer beside `node -e 0`, node launcher and single executable
//   commands   terraform apply / no-change plan / destroy of N agyn_api_token beside N terraform_data
//   gateway    the local Gateway's requests/s and p50/p99 latency at 1, 16 and 64 clients
//   calls      the provider's own CPU per resource for apply / no-change plan / destroy calls, without Terraform
//   codec      in-process hot paths (certificate, msgpack)
// and, only when asked for (--only instructions): start-up in instructions, valgrind's callgrind count to the handshake.
// Options: --rounds N (start-up rounds, default 21), --sizes 10,100,500, --command-rounds N (default 1),
// --resources N (calls part, default 500), --call-rounds N (default 3),
// --seconds N (per Gateway row, default 5), --tokens N (tokens ListAPITokens lists, default 20),
// --generator h2load|node (who loads the Gateway; h2load when installed), --gateway-workers 1,2 (`serve --workers`
// values measured side by side, default 1), --gateway-rounds N (interleaved rounds of each, medians; default 1),
// --compare DIR (repeatable: another built checkout's launcher in the same start-up, instructions and calls rounds, for
// before/after), --instruction-runs N (counts per launcher in the instructions part, default 2).
import { cpus, loadavg } from "node:os";
import { resolve } from "node:path";
import { codecBenchmark } from "./codec";
import { cpuTicks, stealShare } from "./cpu-steal";
import { providerCallsBenchmark } from "./provider-calls";
import { commandsBenchmark } from "./terraform-commands";
import { LOAD_GENERATORS, type LoadGenerator, throughputBenchmark } from "./gateway-throughput";
import { instructionsBenchmark } from "./instructions";
import { startupBenchmark } from "./startup";

export const PARTS = ["startup", "commands", "calls", "gateway", "codec", "instructions"] as const;
type Part = (typeof PARTS)[number];
/** What runs without --only: all but the instruction counts, which take valgrind and a few minutes. */
const DEFAULT_PARTS: readonly Part[] = ["startup", "commands", "calls", "gateway", "codec"];

interface Options {
  parts: Part[];
  rounds: number;
  sizes: number[];
  commandRounds: number;
  seconds: number;
  tokens: number;
  resources: number;
  callRounds: number;
  compare: string[];
  generator?: LoadGenerator;
  gatewayWorkers: number[];
  gatewayRounds: number;
  instructionRuns: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { parts: [...DEFAULT_PARTS], rounds: 21, sizes: [10, 100, 500], commandRounds: 1, seconds: 5, tokens: 20, resources: 500, callRounds: 3,
    compare: [], gatewayWorkers: [1], gatewayRounds: 1, instructionRuns: 2 };
  const positive = (flag: string, text: string | undefined) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number ≥ 1, not ${JSON.stringify(text)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    if (flag === "--only") {
      const parts = (value() ?? "").split(",").map((p) => p.trim()).filter(Boolean);
      const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
      if (parts.length === 0 || unknown.length) throw new Error(`--only takes parts from ${PARTS.join(", ")}; not ${unknown.join(", ") || "nothing"}`);
      options.parts = parts as Part[];
    } else if (flag === "--rounds") options.rounds = positive(flag, value());
    else if (flag === "--sizes") options.sizes = (value() ?? "").split(",").map((s) => positive(flag, s));
    else if (flag === "--command-rounds") options.commandRounds = positive(flag, value());
    else if (flag === "--seconds") options.seconds = positive(flag, value());
    else if (flag === "--tokens") options.tokens = positive(flag, value());
    else if (flag === "--resources") options.resources = positive(flag, value());
    else if (flag === "--call-rounds") options.callRounds = positive(flag, value());
    else if (flag === "--gateway-workers") options.gatewayWorkers = (value() ?? "").split(",").map((s) => positive(flag, s));
    else if (flag === "--gateway-rounds") options.gatewayRounds = positive(flag, value());
    else if (flag === "--instruction-runs") options.instructionRuns = positive(flag, value());
    else if (flag === "--generator") {
      const generator = value();
      if (!(LOAD_GENERATORS as readonly (string | undefined)[]).includes(generator)) throw new Error(`--generator takes ${LOAD_GENERATORS.join(" or ")}, not ${JSON.stringify(generator)}`);
      options.generator = generator as LoadGenerator;
    } else if (flag === "--compare") options.compare.push(resolve(value() ?? "."));
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

function machine(): string {
  const [one, five] = loadavg();
  return `${cpus().length} CPU(s), load average ${one.toFixed(1)} (1 min) / ${five.toFixed(1)} (5 min)`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const root = resolve(__dirname, "..");
  const started = performance.now();
  console.log(`terraform-provider-agyn benchmarks — node ${process.versions.node}, ${machine()}\n`);
  for (const part of options.parts) {
    const partStarted = performance.now();
    const ticksBefore = cpuTicks();
    if (part === "startup") await startupBenchmark({ root, rounds: options.rounds, executable: process.env.AGYN_BENCH_EXECUTABLE || undefined,
      executableNode: process.env.AGYN_BENCH_EXECUTABLE_NODE || undefined, compare: options.compare });
    if (part === "commands") await commandsBenchmark({ root, sizes: options.sizes, rounds: options.commandRounds });
    if (part === "calls") await providerCallsBenchmark({ root, resources: options.resources, rounds: options.callRounds,
      compare: options.compare });
    if (part === "gateway") await throughputBenchmark({ root, clients: [1, 16, 64], seconds: options.seconds, tokens: options.tokens,
      generator: options.generator, workers: options.gatewayWorkers, rounds: options.gatewayRounds });
    if (part === "codec") codecBenchmark();
    if (part === "instructions") await instructionsBenchmark({ root, runs: options.instructionRuns, compare: options.compare });
    const steal = stealShare(ticksBefore, cpuTicks());
    const stolen = steal === undefined ? "" : `; CPU steal during the part ${steal.toFixed(0)}%`;
    console.log(`(${part}: ${((performance.now() - partStarted) / 1000).toFixed(0)} s, then ${machine()}${stolen})\n`);
  }
  console.log(`all parts: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
