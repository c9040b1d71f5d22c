// connect's router aborts every call's AbortSignal once the call is over, also after a complete answer, and an
// abort without a reason builds an AbortError DOMException, which captures a stack trace that nothing reads: about
// a twentieth of the local Gateway's CPU per request. `agyn-local-gateway serve` prints no stack traces (its
// request log names an unexpected error by its message, and the command reports a failure the same way), so it
// captures none, unless node's own --stack-trace-limit was given (in NODE_OPTIONS, say, to debug a crash).

/** Whether node was started with --stack-trace-limit, on its command line or in NODE_OPTIONS. */
export function stackTraceLimitGiven(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? "").split(/\s+/)].some((arg) => /^--stack[-_]trace[-_]limit(=|$)/.test(arg));
}

/** Stops capturing stack traces in this process, unless node was told a limit (the user wants them). */
export function captureNoStackTraces(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): void {
  if (!stackTraceLimitGiven(execArgv, nodeOptions)) Error.stackTraceLimit = 0;
}
