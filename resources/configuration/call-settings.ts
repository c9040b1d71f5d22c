// request_timeout and max_retries: how patiently the provider calls the Gateway. From the provider block,
// else the environment (AGYN_REQUEST_TIMEOUT, AGYN_MAX_RETRIES), else the defaults.
import { DEFAULT_MAX_RETRIES, DEFAULT_REQUEST_TIMEOUT_MS, type RetrySettings } from "../../gateway/retry-policy";
import { type Diagnostic, error, quoted } from "../../schema/diagnostics";
import { durationProblem, parseGoDuration } from "../go-duration";

export const MAX_RETRIES_LIMIT = 20;
const MAX_REQUEST_TIMEOUT_MS = 3_600_000;

export function requestTimeoutProblem(text: string): string | undefined {
  const problem = durationProblem(text, '"30s" or "2m"');
  if (problem) return problem;
  const ms = parseGoDuration(text)!;
  if (ms < 1 || ms > MAX_REQUEST_TIMEOUT_MS) return `${quoted(text)} is outside the accepted range: from 1ms to 1h.`;
  return undefined;
}

export function maxRetriesProblem(value: number): string | undefined {
  return Number.isInteger(value) && value >= 0 && value <= MAX_RETRIES_LIMIT
    ? undefined
    : `max_retries must be a whole number from 0 to ${MAX_RETRIES_LIMIT}, not ${quoted(String(value))}.`;
}

/** The settings, or the problems with the ones taken from the environment (the block's are validated already). */
export function callSettings(
  config: { readonly request_timeout: unknown; readonly max_retries: unknown },
  env: NodeJS.ProcessEnv,
): { settings?: RetrySettings; problems: Diagnostic[] } {
  const problems: Diagnostic[] = [];
  let requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;
  const timeoutText = typeof config.request_timeout === "string" ? config.request_timeout : nonEmpty(env.AGYN_REQUEST_TIMEOUT);
  if (timeoutText !== undefined) {
    const problem = requestTimeoutProblem(timeoutText);
    if (problem) problems.push(error("Invalid AGYN_REQUEST_TIMEOUT", problem));
    else requestTimeoutMs = parseGoDuration(timeoutText)!;
  }
  let maxRetries = DEFAULT_MAX_RETRIES;
  if (config.max_retries !== null && config.max_retries !== undefined) {
    maxRetries = Number(config.max_retries);
  } else {
    const text = nonEmpty(env.AGYN_MAX_RETRIES);
    if (text !== undefined) {
      const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
      const problem = maxRetriesProblem(value) && `AGYN_MAX_RETRIES must be a whole number from 0 to ${MAX_RETRIES_LIMIT}, not ${quoted(text)}.`;
      if (problem) problems.push(error("Invalid AGYN_MAX_RETRIES", problem));
      else maxRetries = value;
    }
  }
  return problems.length > 0 ? { problems } : { settings: { requestTimeoutMs, maxRetries }, problems };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}
