// The benchmark's pace figure: the slowest whole 100 ms window of a row against its median window.
import { slowestWindowShare } from "../../scripts/bench/pace";

/** `perWindow[i]` requests spread evenly over window i (100 ms each), starting at `origin`. */
function starts(perWindow: readonly number[], origin = 5_000): number[] {
  return perWindow.flatMap((count, window) => Array.from({ length: count }, (_, i) => origin + window * 100 + (i * 100) / count));
}

describe("slowestWindowShare", () => {
  it("is 1 for a steady row", () => {
    expect(slowestWindowShare(starts([10, 10, 10, 10, 10, 10]))).toBe(1);
  });

  it("is the slowest whole window against the median one", () => {
    expect(slowestWindowShare(starts([10, 10, 4, 10, 10, 10]))).toBeCloseTo(0.4);
  });

  it("leaves out the partial windows at either end", () => {
    // The row starts and ends part-way through a window: those two show few requests without anything being slow.
    expect(slowestWindowShare([...starts([10, 10, 10, 10, 10], 0), 500, 505])).toBe(1);
    expect(slowestWindowShare(starts([1, 10, 10, 10, 10, 1]).slice(1))).toBe(1);
  });

  it("does not depend on the order the requests are listed in", () => {
    const list = starts([8, 10, 10, 2, 10, 9]);
    expect(slowestWindowShare([...list].reverse())).toBe(slowestWindowShare(list));
  });

  it("gives nothing for a row too short to have three whole windows, or for no requests", () => {
    expect(slowestWindowShare(starts([10, 10, 10]))).toBeUndefined();
    expect(slowestWindowShare([])).toBeUndefined();
  });
});
