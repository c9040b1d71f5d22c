import { MAX_GO_DURATION, durationProblem, parseGoDuration, parseGoDurationNanos } from "../../resources/go-duration";

describe("parseGoDuration", () => {
  it.each([
    ["1h", 3_600_000],
    ["2160h", 2160 * 3_600_000],
    ["90m", 5_400_000],
    ["45s", 45_000],
    ["250ms", 250],
    ["1500us", 1.5],
    ["1500µs", 1.5], // U+00B5 micro sign
    ["1500μs", 1.5], // U+03BC Greek mu
    ["2000000ns", 2],
    ["1h30m", 5_400_000],
    ["1h30m15s", 5_415_000],
    ["1m1s1ms", 61_001],
    ["30m1h", 5_400_000], // Go allows any order
    ["1.5h", 5_400_000],
    [".5h", 1_800_000],
    ["1.h", 3_600_000],
    ["0.25s", 250],
    ["0", 0],
    ["0s", 0],
    ["0h0m", 0],
  ])("%p → %d ms", (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each([
    "",
    "   ",
    "h",
    "1",
    "10",
    "1d",
    "1w",
    "1H",
    "1 h",
    "1h 30m",
    "1h30",
    ".h",
    "1..5h",
    "-1h",
    "+1h",
    "abc",
    "1hh",
    "1e3s",
  ])("rejects %p", (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it("is not confused by a previous failed parse (shared sticky regex state)", () => {
    expect(parseGoDuration("1h!")).toBeUndefined();
    expect(parseGoDuration("2h")).toBe(7_200_000);
    expect(parseGoDuration("3m")).toBe(180_000);
  });
});

describe("durationProblem", () => {
  it("accepts positive durations", () => {
    expect(durationProblem("2160h")).toBeUndefined();
    expect(durationProblem("1ns")).toBeUndefined();
  });

  it("explains a malformed duration, quoting it", () => {
    expect(durationProblem("3 days")).toBe(
      '"3 days" is not a duration. Use Go\'s duration syntax, e.g. "2160h" (90 days) or "1h30m".',
    );
  });

  it("calls a negative duration (which Go would parse) too short, not malformed", () => {
    expect(durationProblem("-1h")).toBe("The duration must be greater than zero.");
    expect(durationProblem("-1h30m")).toBe("The duration must be greater than zero.");
    expect(durationProblem("-3 days")).toContain("is not a duration");
  });

  it("zero is not accepted", () => {
    expect(durationProblem("0")).toBe("The duration must be greater than zero.");
    expect(durationProblem("0s")).toBe("The duration must be greater than zero.");
  });
});

describe("Go's range, exactly (issue 10: a larger value used to fail at apply with 'Invalid time value')", () => {
  it("accepts the largest duration Go can hold, in any spelling", () => {
    expect(durationProblem(MAX_GO_DURATION)).toBeUndefined();
    expect(parseGoDurationNanos("2562047h47m16.854775807s")).toEqual({ ns: 2n ** 63n - 1n });
    expect(parseGoDurationNanos("9223372036854775807ns")).toEqual({ ns: 2n ** 63n - 1n });
    expect(parseGoDurationNanos("2562047h")).toEqual({ ns: 2562047n * 3_600_000_000_000n });
  });

  it.each(["2562047h47m16.854775808s", "9223372036854775808ns", "2562048h", "106752d", "99999999999999999999h", "1000000000000000000000s"])(
    "refuses %p, saying where Go's range ends",
    (text) => {
      const problem = durationProblem(text);
      expect(problem).toBeDefined();
      if (!text.endsWith("d")) {
        expect(problem).toContain("longer than the longest duration");
        expect(problem).toContain(MAX_GO_DURATION);
        expect(parseGoDuration(text)).toBeUndefined();
      }
    },
  );

  it("drops fraction digits beyond what fits, as Go does", () => {
    expect(parseGoDurationNanos("1.00000000000000000000000001s")).toEqual({ ns: 1_000_000_000n });
    expect(parseGoDurationNanos("0.5ns")).toEqual({ ns: 0n });
    expect(parseGoDurationNanos("1.5h")).toEqual({ ns: 5_400_000_000_000n });
  });

  it("quotes a huge input at a bounded length", () => {
    const problem = durationProblem("x".repeat(100_000))!;
    expect(problem.length).toBeLessThan(300);
    expect(problem).toContain("(100000 characters)");
  });
});
