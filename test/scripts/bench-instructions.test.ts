// The instructions part of `npm run bench` reads each callgrind dump's own count of what the process executed.
import { callgrindTotal } from "../../scripts/bench/instructions";

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
