// The provider's own hot paths, in-process: the AutoMTLS certificate made at every launch, and msgpack
// encode/decode of an agyn_api_token state (every plan and apply of every resource goes through both).
import { apiTokenSchema } from "../../resources/api-token/api-token-schema";
import { decodeMsgpack, encodeMsgpack } from "../../provider/codec/msgpack";
import { createServerCertificate } from "../../provider/server/tls-certificate";
import { impliedType } from "../../schema/declaration";
import { median, table } from "./statistics";

function timeEach(n: number, work: () => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    work();
    out.push(performance.now() - started);
  }
  return out;
}

export function codecBenchmark(): void {
  const certificateMs = median(timeEach(200, () => createServerCertificate()));
  const type = impliedType(apiTokenSchema.block);
  const state = {
    id: "0b7c6f52-3a8e-4b6b-9d55-6d7f5a1c2e3f", description: "prod terraform", expires_at: "2027-06-01T00:00:00Z",
    expires_in: null, rotate_before: "360h", allow_self_revoke: false, token: "x".repeat(49), token_prefix: "agyn_abc",
    identity_id: "4f1e0c2d-2b3a-4c5d-8e9f-0a1b2c3d4e5f", created_at: "2026-11-28T12:00:00.123456Z", last_used_at: null, expired: false,
  };
  const bytes = encodeMsgpack(state, type);
  const rounds = 20_000;
  const perOpUs = (samples: number[]) => `${((Math.min(...samples) / rounds) * 1000).toFixed(2)} µs`;
  const encode = timeEach(5, () => { for (let i = 0; i < rounds; i++) encodeMsgpack(state, type); });
  const decode = timeEach(5, () => { for (let i = 0; i < rounds; i++) decodeMsgpack(bytes, type); });
  console.log("In-process hot paths (best of 5 × 20,000 for msgpack, median of 200 certificates)");
  console.log(table([
    ["operation", "time"],
    ["self-signed P-256 certificate (each launch)", `${certificateMs.toFixed(2)} ms`],
    [`msgpack encode, agyn_api_token state (${bytes.length} bytes)`, perOpUs(encode)],
    ["msgpack decode, agyn_api_token state", perOpUs(decode)],
  ]));
  console.log("");
}
