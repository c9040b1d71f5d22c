// The Gateway's clock as this machine can tell it: every answer's Date header (whole seconds) read against
// the local clock. Token and user records carry the Gateway's created_at, so "created while our request was
// in flight" must be asked in the Gateway's time, not ours — CI runners' clocks drift. The client feeds it
// (clock-interceptor.ts); this file loads no Connect code, so resources may use it at start-up.
import { formatRfc3339, type Instant, instantFromDate } from "./instant";

/** How far the estimate may be off: the Date header's whole seconds, plus the answer's time on the wire. */
export const GATEWAY_CLOCK_SLACK_MS = 2_000;

export class GatewayClock {
  private offsetMs = 0;
  private observed = false;

  /** The Gateway's time now, in Unix milliseconds (this machine's clock until an answer was seen). */
  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  /** Whether any answer has told the Gateway's time yet. */
  get known(): boolean {
    return this.observed;
  }

  /** A Date header received at `receivedAt` (local Unix ms). */
  observe(dateHeader: string | null, receivedAt = Date.now()): void {
    if (!dateHeader) return;
    const at = Date.parse(dateHeader);
    if (Number.isNaN(at)) return;
    // The header truncates to the second: the Gateway's clock read between at and at + 1 s.
    this.offsetMs = at + 500 - receivedAt;
    this.observed = true;
  }
}

/** A stretch of the Gateway's clock, Unix milliseconds. */
export interface GatewayWindow {
  readonly fromMs: number;
  readonly toMs: number;
}

/** When a request sent at `sentAtMs` (the Gateway's time) and failed just now may have been carried out. */
export function requestWindow(sentAtMs: number, clock: GatewayClock): GatewayWindow {
  return { fromMs: sentAtMs - GATEWAY_CLOCK_SLACK_MS, toMs: clock.nowMs() + GATEWAY_CLOCK_SLACK_MS };
}

export function isWithin(instant: Instant | null, window: GatewayWindow): boolean {
  if (instant === null) return false;
  const ms = Number(instant.seconds) * 1000 + instant.nanos / 1e6;
  return ms >= window.fromMs && ms <= window.toMs;
}

/** "between <from> and <to>", RFC 3339, for messages. */
export function describeWindow(window: GatewayWindow): string {
  const text = (ms: number) => formatRfc3339(instantFromDate(new Date(Math.floor(ms))));
  return `between ${text(window.fromMs)} and ${text(window.toMs)}`;
}
