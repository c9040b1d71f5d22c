// Creating a user without leaving an unrecorded one behind. CreateUser is not safe to repeat, so after a
// failure that may have created the user (a reset, a timeout, a 502/503/504) the users are searched by the
// OIDC subject, which is unique: a user with it, created while the failed request was in flight and not
// claimed by anyone in this process, is the one the lost request made and is adopted; one created before
// is someone else's (reported, to be imported); none means the request did nothing, and the create is tried
// again (or the failure reported). Same limit as token-minting.ts: another process creating the same
// subject inside that window would have its user adopted.
import type { GatewayClient } from "./client";
import { GatewayError } from "./gateway-error";
import type { ClaimLedger } from "./claim-ledger";
import { type GatewayWindow, isWithin, requestWindow } from "./gateway-clock";
import type { CreatedUser, NewUser, UserRecord } from "./records";
import { backoffMs, pause } from "./retry-policy";

export interface UserCreated {
  /** Null when the Gateway's answer lacks the new user. */
  readonly user: UserRecord | null;
  /** The user a lost request created, found again by its subject. */
  readonly adopted: boolean;
  /** Failed attempts before the one that counted. */
  readonly failedAttempts: readonly GatewayError[];
}

/** CreateUser failed for good; `existing` is a user with the subject that this run did not create. */
export class UserCreationFailed extends Error {
  constructor(
    readonly lastError: GatewayError,
    /** Every attempt, the last one included. */
    readonly failedAttempts: readonly GatewayError[],
    readonly found?: { readonly existing?: CreatedUser; readonly unresolved?: { readonly window: GatewayWindow; readonly error: GatewayError } },
  ) {
    super(lastError.message);
    this.name = "UserCreationFailed";
  }
}

export async function createUserOnce(
  gateway: GatewayClient,
  input: NewUser,
  ledger: ClaimLedger,
  options: { readonly signal?: AbortSignal } = {},
): Promise<UserCreated> {
  const failedAttempts: GatewayError[] = [];
  for (let attempt = 1; ; attempt++) {
    const started = gateway.clock.nowMs();
    let error: GatewayError;
    try {
      const user = await ledger.creating(input.oidcSubject, async () => {
        const created = await gateway.createUser(input, { signal: options.signal });
        if (created) ledger.claim(created.identityId);
        return created;
      });
      return { user, adopted: false, failedAttempts };
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      error = err;
    }
    if (error.facts.mayHaveApplied) {
      const window = requestWindow(started, gateway.clock);
      let found: CreatedUser | undefined;
      try {
        found = await ledger.checking(input.oidcSubject, async () =>
          (await gateway.usersWithOidcSubject(input.oidcSubject)).find((u) => !ledger.isClaimed(u.user.identityId)));
      } catch (checkError) {
        if (!(checkError instanceof GatewayError)) throw checkError;
        throw new UserCreationFailed(error, [...failedAttempts, error], { unresolved: { window, error: checkError } });
      }
      if (found) {
        if (!isWithin(found.createdAt, window)) throw new UserCreationFailed(error, [...failedAttempts, error], { existing: found });
        ledger.claim(found.user.identityId);
        return { user: found.user, adopted: true, failedAttempts: [...failedAttempts, error] };
      }
    }
    failedAttempts.push(error);
    if (!error.facts.transient || attempt > gateway.retry.maxRetries || options.signal?.aborted) {
      throw new UserCreationFailed(error, failedAttempts);
    }
    await pause(backoffMs(attempt, undefined), [options.signal]).catch(() => {
      throw new UserCreationFailed(error, failedAttempts);
    });
  }
}
