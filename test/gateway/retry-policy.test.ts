// The retry rules as pure functions: what may be repeated, and how long to wait.
import { ConnectError, Code } from "@connectrpc/connect";
import { failureFacts, parseRetryAfter } from "../../gateway/failure-facts";
import { BACKOFF_CAP_MS, backoffMs, callDeadlineMs, repeatSafety, worthRetrying } from "../../gateway/retry-policy";

describe("backoff", () => {
  it("doubles from 500 ms, with equal jitter, and is capped", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, undefined, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffMs(n, undefined, () => 0))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
    expect(backoffMs(50, undefined, () => 1)).toBe(BACKOFF_CAP_MS);
  });

  it("never waits less than Retry-After", () => {
    expect(backoffMs(1, 3000, () => 0)).toBe(3000);
    expect(backoffMs(5, 100, () => 1)).toBe(8000);
  });

  it("Retry-After is delay-seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter(" 0 ")).toBe(0);
    expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it("a call's deadline is every attempt's full time", () => {
    expect(callDeadlineMs({ requestTimeoutMs: 30_000, maxRetries: 4 })).toBe(150_000);
  });
});

describe("what may be repeated", () => {
  const facts = (error: ConnectError) => failureFacts(error);
  const http = (status: number) => new ConnectError(`HTTP ${status}`, status === 429 || status >= 502 ? Code.Unavailable : Code.Unknown);

  it("classifies the methods", () => {
    expect(["GetMe", "ListAPITokens", "GetUser", "ListUsers", "SearchUsers", "BatchGetUsers"].map(repeatSafety)).toEqual(Array(6).fill("read"));
    expect(["RevokeAPIToken", "DeleteUser"].map(repeatSafety)).toEqual(["removal", "removal"]);
    expect(["CreateAPIToken", "CreateUser", "SomethingNew"].map(repeatSafety)).toEqual(["create", "create", "create"]);
    expect(repeatSafety("UpdateUser")).toBe("update");
  });

  it("reads retry unavailable, resource_exhausted, 502/503/504 and 429, but not a lost race or a permanent error", () => {
    const read = (e: ConnectError) => worthRetrying("read", facts(e));
    expect([502, 503, 504, 429].map((s) => read(http(s)))).toEqual([true, true, true, true]);
    expect(read(new ConnectError("draining", Code.Unavailable))).toBe(true);
    expect(read(new ConnectError("slow down", Code.ResourceExhausted))).toBe(true);
    expect(read(new ConnectError("conflict", Code.Aborted))).toBe(false);
    expect(read(new ConnectError("bad", Code.InvalidArgument))).toBe(false);
    expect(read(http(500))).toBe(false);
  });

  it("creates retry only what certainly did nothing", () => {
    const create = (e: ConnectError) => worthRetrying("create", facts(e));
    expect(create(http(429))).toBe(true);
    expect(create(new ConnectError("conflict", Code.Aborted))).toBe(true);
    expect(create(http(503))).toBe(false);
    expect(create(new ConnectError("the operation timed out", Code.DeadlineExceeded))).toBe(false);
    const refused = new ConnectError("connect ECONNREFUSED", Code.Unavailable, undefined, undefined, Object.assign(new Error("x"), { code: "ECONNREFUSED" }));
    expect(create(refused)).toBe(true);
    const reset = new ConnectError("socket hang up", Code.Aborted, undefined, undefined, Object.assign(new Error("x"), { code: "ECONNRESET" }));
    expect(facts(reset)).toMatchObject({ mayHaveApplied: true, transient: true });
    expect(create(reset)).toBe(false);
  });
});
