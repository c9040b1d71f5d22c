// Which Gateway calls may be sent again after a failure, and how long to wait before the next attempt:
// capped exponential backoff with jitter, never shorter than the Gateway's Retry-After, and never past the
// call's deadline. The retry interceptor (retry-interceptor.ts) and the create recovery (token-minting.ts,
// user-creation.ts) share these rules.
import type { FailureFacts } from "./failure-facts";

export interface RetrySettings {
  /** How long one attempt may take, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Attempts after the first one; 0 sends every call once. */
  readonly maxRetries: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 4;
/** The first wait is between half and all of this; each further wait doubles it, up to the cap. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;

/**
 * How a method behaves when sent twice:
 * - "read": no effect, repeat freely;
 * - "update": the same change again leaves the same result (UpdateUser, UpdateMe);
 * - "removal": a second attempt may find the object gone, which means the first one removed it;
 * - "create": a second attempt makes a second object, so it is repeated only when the first certainly did
 *   nothing; after any other failure the caller finds out what exists first (token-minting.ts, user-creation.ts).
 */
export type RepeatSafety = "read" | "update" | "removal" | "create";

const METHODS: Readonly<Record<string, RepeatSafety>> = {
  GetMe: "read",
  ListAPITokens: "read",
  GetUser: "read",
  ListUsers: "read",
  SearchUsers: "read",
  BatchGetUsers: "read",
  UpdateMe: "update",
  UpdateUser: "update",
  RevokeAPIToken: "removal",
  DeleteUser: "removal",
  CreateAPIToken: "create",
  CreateUser: "create",
};

/** A method nobody classified is treated like a create: never repeated blindly. */
export function repeatSafety(method: string): RepeatSafety {
  return METHODS[method] ?? "create";
}

/** Whether a failed attempt of this kind of call may be sent again. */
export function worthRetrying(kind: RepeatSafety, facts: FailureFacts): boolean {
  if (!facts.transient) return false;
  // A read takes part in no transaction: "aborted" there is not a race that another attempt could win.
  if (kind === "read") return !facts.conflict;
  return kind === "create" ? !facts.mayHaveApplied : true;
}

/** The longest one call may take, retries and waits included: every attempt's full time. */
export function callDeadlineMs(settings: RetrySettings): number {
  return settings.requestTimeoutMs * (settings.maxRetries + 1);
}

/** The wait before retry number `retry` (1 for the first retry): equal jitter, at least Retry-After. */
export function backoffMs(retry: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, retry - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

/** Waits, or rejects with the signal's reason as soon as any signal aborts. */
export function pause(ms: number, signals: readonly (AbortSignal | undefined)[]): Promise<void> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  const aborted = live.find((s) => s.aborted);
  if (aborted) return Promise.reject(abortReason(aborted));
  return new Promise((resolve, reject) => {
    const onAbort = (event: Event) => {
      finish();
      reject(abortReason(event.target as AbortSignal));
    };
    const finish = () => {
      clearTimeout(timer);
      for (const s of live) s.removeEventListener("abort", onAbort);
    };
    const timer = setTimeout(() => {
      finish();
      resolve();
    }, ms);
    for (const s of live) s.addEventListener("abort", onAbort);
  });
}

function abortReason(signal: AbortSignal): unknown {
  if (signal.reason !== undefined) return signal.reason;
  const e = new Error("This operation was aborted");
  e.name = "AbortError";
  return e;
}
