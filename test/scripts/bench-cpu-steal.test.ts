// The benchmark's CPU steal figure, read from /proc/stat's aggregate line.
import { parseCpuTicks, stealShare } from "../../scripts/bench/cpu-steal";

describe("parseCpuTicks", () => {
  it("sums the first eight columns and takes steal from the eighth, leaving guest time out (already in user)", () => {
    const stat = "cpu  2145010 0 318103 6457604 12963 0 36550 40572 900 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n";
    expect(parseCpuTicks(stat)).toEqual({ steal: 40572, total: 2145010 + 318103 + 6457604 + 12963 + 36550 + 40572 });
  });

  it("reads the aggregate line, not a per-CPU one listed first", () => {
    expect(parseCpuTicks("cpu0 1 1 1 1 1 1 1 9\ncpu 1 1 1 1 1 1 1 2\n")).toEqual({ steal: 2, total: 9 });
  });

  it.each([
    ["no cpu line", "intr 1\n"],
    ["a kernel without the steal column", "cpu 1 2 3 4 5 6 7\n"],
    ["a column that is not a number", "cpu 1 2 3 4 5 6 7 x\n"],
  ])("gives nothing for %s", (_what, stat) => {
    expect(parseCpuTicks(stat)).toBeUndefined();
  });
});

describe("stealShare", () => {
  it("is the steal ticks' share of all ticks between two readings", () => {
    expect(stealShare({ steal: 100, total: 1000 }, { steal: 130, total: 1200 })).toBeCloseTo(15);
  });

  it("gives nothing without two readings or without time between them", () => {
    expect(stealShare(undefined, { steal: 1, total: 2 })).toBeUndefined();
    expect(stealShare({ steal: 1, total: 2 }, undefined)).toBeUndefined();
    expect(stealShare({ steal: 1, total: 2 }, { steal: 1, total: 2 })).toBeUndefined();
  });
});
