// AbortController and AbortSignal for connect inside the local Gateway's bundle (scripts/build.mjs injects this
// for every reference to the global AbortController there; no global changes). connect makes two controllers per
// call, links their signals with listeners and aborts them when the call ends; on node's EventTarget-based classes
// that (an AbortError DOMException per call, event objects, listener bookkeeping) was about a seventh of the
// Gateway's CPU per request. These keep the behaviour connect and the Gateway rely on, as node's do
// (test/gateway/local/abort-controller.test.ts runs both side by side): listeners called once, in the order added,
// with the signal as `this` and an "abort" event; a listener added twice counts once; one removed during
// the dispatch is not called; the default reason is an AbortError DOMException, made only when someone reads it;
// an exception in a listener is reported as an uncaught exception after the others ran.
// The signals never leave the bundle's own code: node's APIs (which check for their own AbortSignal) never see one.

type AbortListener = ((this: AbortSignal, event: AbortEvent) => void) | { handleEvent(event: AbortEvent): void };

export interface AbortEvent {
  readonly type: "abort";
  readonly target: AbortSignal;
  readonly currentTarget: AbortSignal;
}

interface Registration {
  readonly listener: AbortListener;
  removed: boolean;
}

const NOT_GIVEN: unique symbol = Symbol("no reason given");

export class AbortSignal {
  #aborted = false;
  #reason: unknown = undefined;
  #registrations: Registration[] = [];

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    if (this.#reason === NOT_GIVEN) this.#reason = new DOMException("This operation was aborted", "AbortError");
    return this.#reason;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.reason;
  }

  /** Options are accepted and need nothing: `once` is what a signal does anyway, since it fires at most once. */
  addEventListener(type: string, listener: AbortListener | null, _options?: boolean | { once?: boolean; signal?: AbortSignal }): void {
    if (type !== "abort" || !listener || this.#aborted) return;
    if (this.#registrations.some((r) => r.listener === listener && !r.removed)) return;
    this.#registrations.push({ listener, removed: false });
  }

  removeEventListener(type: string, listener: AbortListener | null): void {
    if (type !== "abort" || !listener) return;
    const index = this.#registrations.findIndex((r) => r.listener === listener && !r.removed);
    if (index < 0) return;
    this.#registrations[index].removed = true;
    this.#registrations.splice(index, 1);
  }

  /** For AbortController only: marks the signal aborted and tells its listeners, once. */
  signalAbort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason === undefined ? NOT_GIVEN : reason;
    const event: AbortEvent = { type: "abort", target: this, currentTarget: this };
    for (const registration of this.#registrations.slice()) {
      // One that an earlier listener removed is not called.
      if (registration.removed) continue;
      this.call(registration.listener, event);
    }
    // An aborted signal never fires again: nothing needs to stay registered.
    for (const registration of this.#registrations) registration.removed = true;
    this.#registrations = [];
  }

  private call(listener: AbortListener, event: AbortEvent): void {
    try {
      if (typeof listener === "function") listener.call(this, event);
      else listener.handleEvent(event);
    } catch (error) {
      // As an EventTarget does: the other listeners still run, and the error surfaces as an uncaught exception.
      queueMicrotask(() => {
        throw error;
      });
    }
  }
}

export class AbortController {
  readonly signal = new AbortSignal();

  abort(reason?: unknown): void {
    this.signal.signalAbort(reason);
  }
}
