// The user the provider authenticates as, for the guards that protect it (self-delete-guard.ts,
// self-demote-guard.ts): whether a state is that user, and how messages name a user.
import type { AgynSession } from "../configuration/session";
import { callGateway } from "../gateway-calls/gateway-diagnostics";
import type { UserState } from "./user-schema";

/** Whether identity `identityId` is the one the provider authenticates as (the session's one cached GetMe). */
export async function isProviderUser(session: AgynSession, identityId: string, signal?: AbortSignal): Promise<boolean> {
  const me = await callGateway("reading the current user", () => session.callerIdentity(signal));
  return me.user?.identityId === identityId;
}

/** "ci (identity …)", or "identity …" for a user without a username. */
export function describeUser(user: Pick<UserState, "username" | "identity_id">): string {
  return user.username ? `${user.username} (identity ${user.identity_id})` : `identity ${user.identity_id}`;
}
