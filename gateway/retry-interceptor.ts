// Retries inside the Gateway client, as a Connect interceptor: every call passes it, so no resource retries
// on its own. Each attempt gets its own timeout; a failure the policy calls transient is tried again after a
// backoff (retry-policy.ts) until max_retries or the call's deadline; Terraform's Stop cancels a read in
// flight and any wait between attempts. Removals that find the object gone after a retry succeed: the lost
// first attempt removed it. Caching, should it come, belongs above the client, outside this loop.
import {
  Code,
  ConnectError,
  type ContextValues,
  type Interceptor,
  type UnaryRequest,
  type UnaryResponse,
  createContextKey,
} from "@connectrpc/connect";
import { createDeadlineSignal, createLinkedAbortController } from "@connectrpc/connect/protocol";
import { create } from "@bufbuild/protobuf";
import { failureFacts, type FailureFacts } from "./failure-facts";
import { type RetrySettings, backoffMs, callDeadlineMs, pause, repeatSafety, worthRetrying } from "./retry-policy";

/** Per call: what the interceptor did, for the error message and the logs. */
export interface CallRecord {
  attempts: number;
  /** When the first attempt started (Date.now()). */
  startedAt: number;
}

/** Cancels the waits between attempts of a write, whose attempt in flight is never abandoned. */
export const stopSignalKey = createContextKey<AbortSignal | undefined>(undefined, { description: "Terraform's Stop" });
export const callRecordKey = createContextKey<CallRecord | undefined>(undefined, { description: "attempts made" });

export interface RetryEvent {
  readonly method: string;
  readonly attempt: number;
  readonly waitMs: number;
  readonly facts: FailureFacts;
  readonly error: ConnectError;
}

export interface RetryInterceptorOptions {
  readonly settings: RetrySettings;
  /** Told before each wait, e.g. to log it. */
  readonly onRetry?: (event: RetryEvent) => void;
  readonly random?: () => number;
}

export function retryInterceptor(options: RetryInterceptorOptions): Interceptor {
  const { settings } = options;
  return (next) => async (req) => {
    if (req.stream) return next(req);
    const kind = repeatSafety(req.method.name);
    const record = req.contextValues.get(callRecordKey);
    const stop = req.contextValues.get(stopSignalKey);
    const startedAt = Date.now();
    const deadline = startedAt + callDeadlineMs(settings);
    if (record) record.startedAt = startedAt;
    for (let attempt = 1; ; attempt++) {
      if (record) record.attempts = attempt;
      const timer = createDeadlineSignal(Math.max(1, Math.min(settings.requestTimeoutMs, deadline - Date.now())));
      const signal = createLinkedAbortController(req.signal, timer.signal).signal;
      let failure: ConnectError;
      try {
        return await next({ ...req, signal });
      } catch (error) {
        failure = ConnectError.from(error);
        if (failure !== error && failure.cause === undefined) failure.cause = error;
      } finally {
        timer.cleanup();
      }
      // The removal went through on a lost attempt: the object is gone, which is what was asked.
      if (kind === "removal" && attempt > 1 && failure.code === Code.NotFound) return emptyAnswer(req);
      // Cancelled by the caller (Stop): never retried.
      if (req.signal.aborted || stop?.aborted) throw failure;
      const facts = failureFacts(failure);
      if (attempt > settings.maxRetries || !worthRetrying(kind, facts)) throw failure;
      const waitMs = backoffMs(attempt, facts.retryAfterMs, options.random);
      // Better to report now than to wait past the deadline only to give up then.
      if (Date.now() + waitMs >= deadline) throw failure;
      options.onRetry?.({ method: req.method.name, attempt, waitMs, facts, error: failure });
      await pause(waitMs, [req.signal, stop]).catch((reason: unknown) => {
        throw ConnectError.from(reason, Code.Canceled);
      });
    }
  };
}

/** Call options that carry Terraform's Stop to the interceptor and collect what it did. */
export function callContext(stop: AbortSignal | undefined, record: CallRecord, values: ContextValues): ContextValues {
  return values.set(stopSignalKey, stop).set(callRecordKey, record);
}

function emptyAnswer(req: UnaryRequest): UnaryResponse {
  return {
    stream: false,
    service: req.service,
    method: req.method,
    header: new Headers(),
    trailer: new Headers(),
    message: create(req.method.output),
  } as UnaryResponse;
}
