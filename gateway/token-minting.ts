// Minting an API token without ever leaving one behind. CreateAPIToken is not safe to repeat: a lost answer
// means the Gateway may hold a new token whose secret nobody will ever see. So after a failure that may
// have created one (a reset, a timeout, a 502/503/504), the caller's tokens are listed and every token with
// the same name, created while the failed request was in flight, that nobody in this process has claimed
// is revoked; only then is the create tried again (or the failure reported).
//
// The limit of the rule: another process minting a same-named token for the same identity inside that
// window (the request's duration plus the clock slack) would see its token revoked too.
import type { GatewayClient } from "./client";
import { GatewayError } from "./gateway-error";
import type { ClaimLedger } from "./claim-ledger";
import { type GatewayWindow, isWithin, requestWindow } from "./gateway-clock";
import type { Instant } from "./instant";
import type { MintedApiToken } from "./records";
import { backoffMs, pause } from "./retry-policy";

/** One failed attempt and what the check after it found and revoked. */
export interface FailedAttempt {
  readonly error: GatewayError;
  /** Token ids the Gateway made without answering, now revoked. */
  readonly revoked: readonly string[];
}

export interface Minted {
  readonly minted: MintedApiToken;
  readonly failedAttempts: readonly FailedAttempt[];
}

/** CreateAPIToken failed for good. When `unresolved` is set, the check itself failed: a token may exist. */
export class MintingFailed extends Error {
  constructor(
    readonly lastError: GatewayError,
    /** Every attempt, the last one included. */
    readonly failedAttempts: readonly FailedAttempt[],
    readonly unresolved?: { readonly window: GatewayWindow; readonly error: GatewayError },
  ) {
    super(lastError.message);
    this.name = "MintingFailed";
  }
}

export async function mintApiToken(
  gateway: GatewayClient,
  input: { readonly name: string; readonly expiresAt?: Instant },
  ledger: ClaimLedger,
  options: { readonly signal?: AbortSignal } = {},
): Promise<Minted> {
  const failedAttempts: FailedAttempt[] = [];
  const { maxRetries } = gateway.retry;
  for (let attempt = 1; ; attempt++) {
    const started = gateway.clock.nowMs();
    let error: GatewayError;
    try {
      const minted = await ledger.creating(input.name, async () => {
        const answer = await gateway.createApiToken(input, { signal: options.signal });
        if (answer.token) ledger.claim(answer.token.id);
        return answer;
      });
      return { minted, failedAttempts };
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      error = err;
    }
    let revoked: string[] = [];
    if (error.facts.mayHaveApplied) {
      const window = requestWindow(started, gateway.clock);
      try {
        revoked = await ledger.checking(input.name, () => revokeUnclaimed(gateway, input.name, window, ledger));
      } catch (checkError) {
        if (!(checkError instanceof GatewayError)) throw checkError;
        throw new MintingFailed(error, [...failedAttempts, { error, revoked: [] }], { window, error: checkError });
      }
    }
    failedAttempts.push({ error, revoked });
    if (!error.facts.transient || attempt > maxRetries || options.signal?.aborted) throw new MintingFailed(error, failedAttempts);
    await pause(backoffMs(attempt, undefined), [options.signal]).catch(() => {
      throw new MintingFailed(error, failedAttempts);
    });
  }
}

/** Revokes the tokens named `name` that the Gateway created inside `window` and nobody claimed; their ids. */
export async function revokeUnclaimed(gateway: GatewayClient, name: string, window: GatewayWindow, ledger: ClaimLedger): Promise<string[]> {
  const orphans = (await gateway.listApiTokens()).filter((t) => t.name === name && !ledger.isClaimed(t.id) && isWithin(t.createdAt, window));
  for (const orphan of orphans) {
    try {
      await gateway.revokeApiToken(orphan.id);
    } catch (err) {
      // Already gone (another check revoked it first) is what was wanted.
      if (!(err instanceof GatewayError && err.code === "not_found")) throw err;
    }
  }
  return orphans.map((t) => t.id);
}
