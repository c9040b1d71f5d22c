// What Terraform carries, in memory only, from OpenEphemeralResource to CloseEphemeralResource for one run
// token: which token it is and when it expires — never the secret. The secret stays in this process
// (open-run-tokens.ts), found again by `key`.
import type { RunTokenHandleJsonValue } from "./run-token-handle-json";

export interface RunTokenHandle {
  /** Finds the secret this process holds for the token (a random value, unrelated to the secret). */
  readonly key: string;
  readonly id: string;
  /** The public first 8 characters, to name the token in messages. */
  readonly prefix: string;
  /** RFC 3339: how long a token that could not be revoked stays usable. */
  readonly expiresAt: string;
}

export const FORMAT_VERSION = 1;

export function encodeRunTokenHandle(handle: RunTokenHandle): Uint8Array {
  const json: RunTokenHandleJsonValue = { v: FORMAT_VERSION, key: handle.key, id: handle.id, prefix: handle.prefix, expires_at: handle.expiresAt };
  return new TextEncoder().encode(JSON.stringify(json));
}

/** The handle; "none" when there are no private bytes (nothing was opened); "unreadable" for bytes not ours. */
export async function decodeRunTokenHandle(bytes: Uint8Array | undefined): Promise<RunTokenHandle | "none" | "unreadable"> {
  if (!bytes || bytes.length === 0) return "none";
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return "unreadable";
  }
  const { RunTokenHandleJson } = await import("./run-token-handle-json");
  const result = RunTokenHandleJson.safeParse(parsed);
  if (!result.success) return "unreadable";
  const { key, id, prefix, expires_at } = result.data;
  return { key, id, prefix, expiresAt: expires_at };
}
