// serve captures no stack traces (connect's abort after every call built one nobody read), unless node was given
// --stack-trace-limit, which is how a user debugging a crash gets them back.
import { captureNoStackTraces, stackTraceLimitGiven } from "../../../gateway/local/stack-traces";

const limitBefore = Error.stackTraceLimit;
afterEach(() => {
  Error.stackTraceLimit = limitBefore;
});

test("node's --stack-trace-limit is recognised on the command line and in NODE_OPTIONS, in either spelling", () => {
  expect(stackTraceLimitGiven(["--stack-trace-limit=20"], undefined)).toBe(true);
  expect(stackTraceLimitGiven([], "--max-old-space-size=100  --stack_trace_limit=5")).toBe(true);
  expect(stackTraceLimitGiven(["--stack-trace-limit"], "")).toBe(true);
  expect(stackTraceLimitGiven(["--enable-source-maps"], "--max-old-space-size=100")).toBe(false);
  expect(stackTraceLimitGiven([], undefined)).toBe(false);
  expect(stackTraceLimitGiven(["--stack-trace-limits-are-not-a-flag"], undefined)).toBe(false);
});

test("without a limit given, errors made afterwards carry no stack frames; with one, the limit stays", () => {
  Error.stackTraceLimit = 10;
  captureNoStackTraces([], "--stack-trace-limit=10");
  expect(new Error("kept").stack).toMatch(/\n\s+at /);
  captureNoStackTraces([], undefined);
  expect(Error.stackTraceLimit).toBe(0);
  expect(new Error("bare").stack).toBe("Error: bare");
});
