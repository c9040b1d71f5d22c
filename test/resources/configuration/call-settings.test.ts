// request_timeout and max_retries, from the provider block or the environment: the values taken, and messages
// that suggest values that fit a timeout.
import { DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT_MS } from "../../../gateway/retry-policy";
import { callSettings, maxRetriesProblem, requestTimeoutProblem } from "../../../resources/configuration/call-settings";

const unset = { request_timeout: null, max_retries: null };

describe("requestTimeoutProblem", () => {
  it("accepts Go durations from 1ms to 1h", () => {
    for (const ok of ["1ms", "30s", "2m", "1h", "1m30s"]) expect(requestTimeoutProblem(ok)).toBeUndefined();
  });

  it("suggests a timeout's kind of duration, not a token lifetime's", () => {
    const problem = requestTimeoutProblem("forever");
    expect(problem).toBe('"forever" is not a duration. Use Go\'s duration syntax, e.g. "30s" or "2m".');
    expect(problem).not.toContain("2160h");
  });

  it("refuses durations outside 1ms to 1h, and zero or negative ones", () => {
    expect(requestTimeoutProblem("2h")).toBe('"2h" is outside the accepted range: from 1ms to 1h.');
    expect(requestTimeoutProblem("0s")).toBe("The duration must be greater than zero.");
    expect(requestTimeoutProblem("-5s")).toBe("The duration must be greater than zero.");
  });
});

describe("callSettings", () => {
  it("takes the defaults when nothing is set", () => {
    expect(callSettings(unset, {})).toEqual({ settings: { requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS, maxRetries: DEFAULT_MAX_RETRIES }, problems: [] });
  });

  it("prefers the provider block to the environment", () => {
    const env = { AGYN_REQUEST_TIMEOUT: "5s", AGYN_MAX_RETRIES: "7" };
    expect(callSettings({ request_timeout: "90s", max_retries: 2 }, env).settings).toEqual({ requestTimeoutMs: 90_000, maxRetries: 2 });
    expect(callSettings(unset, env).settings).toEqual({ requestTimeoutMs: 5_000, maxRetries: 7 });
  });

  it("names the environment variable that is wrong", () => {
    const { settings, problems } = callSettings(unset, { AGYN_REQUEST_TIMEOUT: "soon", AGYN_MAX_RETRIES: "many" });
    expect(settings).toBeUndefined();
    expect(problems.map((p) => [p.summary, p.detail])).toEqual([
      ["Invalid AGYN_REQUEST_TIMEOUT", '"soon" is not a duration. Use Go\'s duration syntax, e.g. "30s" or "2m".'],
      ["Invalid AGYN_MAX_RETRIES", 'AGYN_MAX_RETRIES must be a whole number from 0 to 20, not "many".'],
    ]);
  });

  it("max_retries is a whole number from 0 to 20", () => {
    for (const ok of [0, 3, 20]) expect(maxRetriesProblem(ok)).toBeUndefined();
    for (const bad of [-1, 21, 1.5]) expect(maxRetriesProblem(bad)).toMatch(/whole number from 0 to 20/);
  });
});
