// Minting a token outside the API: how the first (admin) token of a local Gateway comes to exist.
// Shared by `agyn-local-gateway mint-token` and the test helper.
import type { ApiTokenRecord, GatewayStore, UserRecord } from "./store";
import type { Micros } from "./microseconds";

export const DEFAULT_TOKEN_DESCRIPTION = "minted by agyn-local-gateway";

export interface MintTokenRequest {
  /** OIDC subject of the user; the user is created when missing. */
  readonly subject: string;
  /** Display name for a user created now; an existing user's name is left alone. */
  readonly name?: string;
  /** Grants the cluster admin role (never revokes it). */
  readonly admin?: boolean;
  /** The token's name. */
  readonly description?: string;
  readonly expiresAt?: Micros;
}

export interface MintedToken {
  readonly plaintext: string;
  readonly token: ApiTokenRecord;
  readonly user: UserRecord;
  /** Whether --admin granted the role to a user that existed without it (said on stderr: it is not undone later). */
  readonly promoted: boolean;
}

export function mintLocalToken(store: GatewayStore, request: MintTokenRequest): MintedToken {
  return store.inTransaction(() => {
    let user =
      store.findUserBySubject(request.subject) ??
      store.createUser({ oidcSubject: request.subject, name: request.name, clusterAdmin: request.admin });
    const promoted = request.admin === true && !user.clusterAdmin;
    if (promoted) user = store.updateUser(user.id, { clusterAdmin: true })!;
    const { token, plaintext } = store.createApiToken(
      user.id,
      request.description ?? DEFAULT_TOKEN_DESCRIPTION,
      request.expiresAt,
    );
    return { plaintext, token, user, promoted };
  });
}
