// `npm run bench`: figures for what users feel — how fast Terraform gets a handshake, how fast a schema
// answer comes back — and for the hot paths (codec, certificate). Prints numbers; asserts nothing.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { decodeMsgpack, encodeMsgpack } from "../../provider/codec/msgpack";
import { createServerCertificate } from "../../provider/server/tls-certificate";
import { impliedType } from "../../schema/declaration";
import { apiTokenSchema } from "../../resources/api-token/api-token-schema";
import { MAGIC_COOKIE_VALUE } from "../../provider/server/handshake";

const root = resolve(__dirname, "..");

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return `median ${pick(0.5).toFixed(2)} ms, p90 ${pick(0.9).toFixed(2)} ms, min ${sorted[0].toFixed(2)} ms (n=${samples.length})`;
}

function timeToHandshake(executable: string, protocols: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(executable, [], {
      env: { ...process.env, TF_PLUGIN_MAGIC_COOKIE: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: protocols, TF_LOG: "" },
      stdio: ["ignore", "pipe", "ignore"],
    });
    createInterface({ input: child.stdout! }).once("line", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      child.kill("SIGKILL");
      resolvePromise(ms);
    });
    child.once("error", reject);
  });
}

function loop(n: number, fn: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

async function main() {
  console.log("terraform-provider-agyn benchmarks\n");
  // The node launcher and the release's single executable for this machine (AGYN_BENCH_EXECUTABLE, built by
  // bench.mjs), measured in turns so both see the same machine load.
  const launcher = join(root, "bin/terraform-provider-agyn");
  const executable = process.env.AGYN_BENCH_EXECUTABLE;
  const handshakes: number[] = [];
  const seaHandshakes: number[] = [];
  for (let i = 0; i < 21; i++) {
    handshakes.push(await timeToHandshake(launcher, "5,6"));
    if (executable) seaHandshakes.push(await timeToHandshake(executable, "5,6"));
  }
  console.log(`launch → handshake line, node launcher (bin/, Node ${process.versions.node}):        ${stats(handshakes)}`);
  if (executable) {
    console.log(`launch → handshake line, single executable (release, code cache): ${stats(seaHandshakes)}`);
    const median = (s: number[]) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)];
    console.log(`  single executable / launcher, medians:                            ${(median(seaHandshakes) / median(handshakes)).toFixed(2)}`);
  }

  console.log(`self-signed P-256 certificate:                                      ${stats(loop(200, () => createServerCertificate()))}`);

  const type = impliedType(apiTokenSchema.block);
  const state = {
    id: "0b7c6f52-3a8e-4b6b-9d55-6d7f5a1c2e3f", description: "prod terraform", expires_at: "2027-06-01T00:00:00Z",
    expires_in: null, rotate_before: "360h", allow_self_revoke: false, token: "x".repeat(49), token_prefix: "agyn_abc",
    identity_id: "4f1e0c2d-2b3a-4c5d-8e9f-0a1b2c3d4e5f", created_at: "2026-11-28T12:00:00.123456Z", last_used_at: null, expired: false,
  };
  const bytes = encodeMsgpack(state, type);
  const rounds = 20000;
  const enc = loop(5, () => { for (let i = 0; i < rounds; i++) encodeMsgpack(state, type); });
  const dec = loop(5, () => { for (let i = 0; i < rounds; i++) decodeMsgpack(bytes, type); });
  const perOp = (s: number[]) => `${((Math.min(...s) / rounds) * 1000).toFixed(2)} µs/op`;
  console.log(`msgpack encode agyn_api_token state (${bytes.length} bytes):                  ${perOp(enc)}`);
  console.log(`msgpack decode agyn_api_token state:                                ${perOp(dec)}`);
}

void main();
