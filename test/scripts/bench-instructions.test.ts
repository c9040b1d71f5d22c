// The instructions part of `npm run bench` reads each callgrind dump's own count of what the process executed.
import { callgrindTotal, instructionRows } from "../../scripts/bench/instructions";

// The head and the last line of a dump callgrind_control -d makes (callgrind 3.19), cut down.
const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 16684
cmd:  /usr/bin/node --use-openssl-ca /work/main/dist/launch-provider.js
part: 1

desc: Trigger: dump

positions: line
events: Ir
summary: 252762611

ob=(1) /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
fn=(1) 0x0000000000020290
0 3

totals: 252762611
`;

it("reads the count a dump reports, from its summary line or its totals line", () => {
  expect(callgrindTotal(DUMP)).toBe(252762611);
  expect(callgrindTotal(DUMP.replace(/^summary: .*\n/m, ""))).toBe(252762611);
  expect(callgrindTotal("events: Ir\nsummary: 87065551\n")).toBe(87065551);
});

it("refuses output without a count rather than reading a number from elsewhere in it", () => {
  expect(() => callgrindTotal(DUMP.replace(/^(summary|totals): .*\n/gm, ""))).toThrow("no totals");
  expect(() => callgrindTotal("pid: 16684\n0 3\n")).toThrow("no totals");
});

describe("the table", () => {
  const withExtra = { label: "node -e 0 (with the variable)", counts: [498e6, 500e6, 499e6] };
  const base = { label: "node -e 0", counts: [84e6, 90e6, 86e6] };
  const http2 = { label: "node -e \"require('http2')\"", counts: [120e6, 121e6, 120.4e6] };
  const launcher = {
    label: "node launcher",
    counts: [
      { toHandshake: 250e6, toFirstAnswer: 320e6 },
      { toHandshake: 260e6, toFirstAnswer: 330e6 },
      { toHandshake: 255e6, toFirstAnswer: 325e6 },
    ],
  };
  const rows = instructionRows([withExtra, base, http2], base, [launcher]);
  const row = (label: string) => rows.find((r) => r[0] === label)!;

  it("takes ratios and differences against the base floor, not against the last floor counted", () => {
    // Medians: base 86 M, launcher 255 M to the handshake.
    expect(row("node launcher")).toEqual(["node launcher", "250.0 M, 260.0 M, 255.0 M (median 255.0 M)", "2.97×", "169.0 M", "320.0 M, 330.0 M, 325.0 M (median 325.0 M)"]);
  });

  it("shows each other floor's ratio to the base, so a floor above the goal is visible", () => {
    expect(row(http2.label)[2]).toBe("1.40×");
    expect(row(withExtra.label)[2]).toBe("5.80×");
    expect(row(base.label)[2]).toBe("–");
  });

  it("has a column for each figure of a launcher", () => {
    expect(rows[0]).toEqual(["", "to the handshake, each run", "× the base", "minus the base", "to the first answer, each run"]);
    expect(rows.every((r) => r.length === rows[0].length)).toBe(true);
  });
});
