// Start-up as Terraform sees it: exec → the handshake line on stdout (go-plugin waits for nothing else), and
// exec → the first answer (GetProviderSchema over AutoMTLS), beside `node -e 0` in the same interleaved
// rounds — for the node launcher (bin/terraform-provider-agyn) and the release's single executable.
import { execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Provider as ProviderV5 } from "../../gen/tfplugin5/tfplugin5_pb";
import { Provider as ProviderV6 } from "../../gen/tfplugin6/tfplugin6_pb";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../../provider/server/handshake";
import { pem } from "../../provider/server/tls-certificate";
import { type ClientCertificate, PluginClient, certFieldToDer, generateClientCertificate, parseHandshake } from "../../test/support/plugin-process";
import { processUsage } from "./process-usage";
import { median, ms, ratio, table } from "./statistics";

export interface StartupOptions {
  readonly root: string;
  readonly rounds: number;
  /** The release's single executable for this machine, when built. */
  readonly executable?: string;
  /** The node binary inside that executable (the release's pinned Node), for its own `-e 0` floor. */
  readonly executableNode?: string;
  /** Other checkouts (built) whose launchers run in the same rounds, e.g. the commit before a change. */
  readonly compare: readonly string[];
}

interface Launch {
  readonly toHandshakeMs: number;
  readonly toAnswerMs: number;
  readonly cpuMs?: number;
  readonly peakRssMb?: number;
}

interface Subject {
  readonly label: string;
  /** The `node -e 0` it is compared with. */
  readonly floor: Floor;
  run(): Promise<Launch>;
}

interface Floor {
  readonly label: string;
  readonly node: string;
  /** The environment it runs in; undefined: this process's. */
  readonly env?: NodeJS.ProcessEnv;
  readonly wallMs: number[];
  readonly usage: { cpuMs: number; peakRssMb: number }[];
}

/** The environment Terraform gives a plugin: nothing of this shell's TF_*, PLUGIN_* or AGYN_* settings. */
export function pluginEnvironment(clientCert: ClientCertificate): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(TF_|PLUGIN_|AGYN_)/.test(key) && key !== "AGYN_NODE") continue;
    env[key] = value;
  }
  return { ...env, [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6", PLUGIN_CLIENT_CERT: clientCert.certPem };
}

/**
 * Terraform's first call to the plugin whose handshake line this is: GetProviderSchema over AutoMTLS with this client
 * certificate. Resolves with the moment the answer arrived; the client is closed and the socket file removed either way.
 */
export async function firstAnswer(line: string, clientCert: ClientCertificate, timeoutMs?: number): Promise<number> {
  const handshake = parseHandshake(line);
  const client = new PluginClient(handshake.address, handshake.version === 5 ? ProviderV5 : ProviderV6, {
    serverCertPem: pem(certFieldToDer(handshake.certField)),
    client: clientCert,
  });
  try {
    await client.call("GetProviderSchema", {}, timeoutMs);
    return performance.now();
  } finally {
    client.close();
    rmSync(handshake.address, { force: true });
  }
}

/** Launches a plugin like Terraform, times the handshake line and the first answer, then kills it. */
function launchPlugin(executable: string, env: NodeJS.ProcessEnv, clientCert: ClientCertificate): Promise<Launch> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(executable, [], { env, stdio: ["ignore", "pipe", "ignore"] });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (!done) reject(new Error(`${executable} exited (${code ?? signal}) before its first answer`));
    });
    let done = false;
    createInterface({ input: child.stdout }).once("line", (line) => {
      const toHandshakeMs = performance.now() - started;
      const usage = processUsage(child.pid);
      firstAnswer(line, clientCert).then(
        (answeredAt) => {
          done = true;
          child.kill("SIGKILL");
          resolve({ toHandshakeMs, toAnswerMs: answeredAt - started, ...usage });
        },
        (error: unknown) => {
          child.kill("SIGKILL");
          reject(error);
        },
      );
    });
  });
}

/** Wall time of `node -e 0` from exec to exit. */
function nodeFloor(node: string, env?: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, ["-e", "0"], { stdio: "ignore", env });
    child.once("error", reject);
    child.once("exit", () => resolve(performance.now() - started));
  });
}

/** What an empty node program has used by the end of its script, as node itself reports it. */
function nodeFloorUsage(node: string, env?: NodeJS.ProcessEnv): Promise<{ cpuMs: number; peakRssMb: number }> {
  const script =
    "const c=process.cpuUsage();process.stdout.write(JSON.stringify({cpuMs:(c.user+c.system)/1000,peakRssMb:process.resourceUsage().maxRSS/1024}))";
  return new Promise((resolve, reject) => {
    const child = spawn(node, ["-e", script], { stdio: ["ignore", "pipe", "ignore"], env });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.once("error", reject);
    child.once("close", () => resolve(JSON.parse(out) as { cpuMs: number; peakRssMb: number }));
  });
}

export async function startupBenchmark(options: StartupOptions): Promise<void> {
  const clientCert = generateClientCertificate();
  const env = pluginEnvironment(clientCert);
  const floor = (label: string, node: string, floorEnv?: NodeJS.ProcessEnv): Floor => ({ label, node, env: floorEnv, wallMs: [], usage: [] });
  const floors = [floor(`node -e 0 (node ${process.versions.node}, exec → exit)`, process.execPath)];
  const subjects: Subject[] = [{
    label: "node launcher (bin/terraform-provider-agyn)",
    floor: floors[0],
    run: () => launchPlugin(join(options.root, "bin/terraform-provider-agyn"), env, clientCert),
  }];
  // The launcher spares node the file, so beside a floor that parses it, the same pair without it.
  if (process.env.NODE_EXTRA_CA_CERTS) {
    const { NODE_EXTRA_CA_CERTS: _ignored, ...withoutExtra } = process.env;
    const bare = floor(`node -e 0 (node ${process.versions.node}, NODE_EXTRA_CA_CERTS unset)`, process.execPath, withoutExtra);
    floors.push(bare);
    const { NODE_EXTRA_CA_CERTS: _alsoIgnored, ...pluginWithoutExtra } = env;
    subjects.push({
      label: "node launcher, NODE_EXTRA_CA_CERTS unset",
      floor: bare,
      run: () => launchPlugin(join(options.root, "bin/terraform-provider-agyn"), pluginWithoutExtra, clientCert),
    });
  }
  for (const other of options.compare) {
    subjects.push({ label: `node launcher of ${other}`, floor: floors[0], run: () => launchPlugin(join(other, "bin/terraform-provider-agyn"), env, clientCert) });
  }
  if (options.executable) {
    let own = floors[0];
    if (options.executableNode) {
      const version = execFileSync(options.executableNode, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "");
      own = floor(`node -e 0 (node ${version}, the executable's own, exec → exit)`, options.executableNode);
      floors.push(own);
    }
    subjects.push({ label: "single executable (release, this machine)", floor: own, run: () => launchPlugin(options.executable!, env, clientCert) });
  }
  const launches = new Map<Subject, Launch[]>(subjects.map((s) => [s, []]));
  const steps: (() => Promise<void>)[] = [
    ...floors.flatMap((f) => [
      async () => void f.wallMs.push(await nodeFloor(f.node, f.env)),
      async () => void f.usage.push(await nodeFloorUsage(f.node, f.env)),
    ]),
    ...subjects.map((s) => async () => void launches.get(s)!.push(await s.run())),
  ];
  for (let round = 0; round < options.rounds; round++) {
    // Rotate the order each round, so no subject always runs right after a particular other one.
    for (let i = 0; i < steps.length; i++) await steps[(i + round) % steps.length]();
  }

  const rows = [["", "exec → handshake", "vs node -e 0", "exec → first answer", "CPU to handshake", "peak RSS"]];
  for (const f of floors) {
    rows.push([f.label, ms(median(f.wallMs)), "1.00×", "–", `${ms(median(f.usage.map((u) => u.cpuMs)))} ¹`, `${median(f.usage.map((u) => u.peakRssMb)).toFixed(1)} MB ¹`]);
  }
  for (const subject of subjects) {
    const samples = launches.get(subject)!;
    const pick = (f: (l: Launch) => number | undefined) => median(samples.map(f).filter((v): v is number => v !== undefined));
    const handshake = pick((l) => l.toHandshakeMs);
    const versus = subject.floor === floors[0] ? ratio(handshake, median(floors[0].wallMs))
      : `${ratio(handshake, median(subject.floor.wallMs))} (${ratio(handshake, median(floors[0].wallMs))} of node ${process.versions.node})`;
    rows.push([subject.label, ms(handshake), versus, ms(pick((l) => l.toAnswerMs)), ms(pick((l) => l.cpuMs)), `${pick((l) => l.peakRssMb).toFixed(1)} MB`]);
  }
  console.log(`Start-up, ${options.rounds} interleaved rounds, medians (launched as Terraform does: protocols 5,6 offered, AutoMTLS with a P-521 client certificate)`);
  console.log(table(rows));
  console.log("¹ what node -e reports about itself at the end of its script (process.cpuUsage, resourceUsage().maxRSS)");
  console.log("  CPU: all threads, read from /proc as the handshake line arrives; peak RSS: VmHWM at that moment");
  if (process.env.NODE_EXTRA_CA_CERTS) {
    console.log("  NODE_EXTRA_CA_CERTS is set: node 20 reads and parses that file at every start (node 22 only when TLS needs it),");
    console.log("  so it is in node 20's `node -e 0` — a plugin inherits Terraform's environment. The node launcher spares node the");
    console.log("  file (and node's bundled roots) until the Gateway client needs them, so it is also measured without the variable");
  }
  console.log("");
}
