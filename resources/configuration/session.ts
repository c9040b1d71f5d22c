// What Configure hands to every resource: the Gateway client, what identifies the configured token (to
// recognise it among listed tokens without keeping the secret around), and the state this provider process
// keeps: who the token authenticates as (one GetMe, cached), and which tokens and users it accounts for.
import type { GatewayClient } from "../../gateway/client";
import { GatewayError } from "../../gateway/gateway-error";
import type { ClusterRoleName, UserRecord } from "../../gateway/records";
import { hashApiToken, tokenPrefix } from "../../gateway/token-format";
import { Claims } from "./claims";

/** Who the provider's token authenticates as. */
export interface CallerIdentity {
  /** Null for the platform's bootstrap admin, which has no user record (GetMe answers permission_denied). */
  readonly user: UserRecord | null;
  readonly clusterRole: ClusterRoleName | null;
}

/** A client for the same Gateway (URL, CA, User-Agent) that authenticates with another token. */
export type ConnectAs = (token: string) => GatewayClient;

export class AgynSession {
  /** SHA-256 of the configured token. */
  readonly configuredTokenHash: string;
  readonly configuredTokenPrefix: string;
  /** API tokens this process created, read or imported. */
  readonly tokenClaims = new Claims();
  /** Users (identity ids) this process created, read or imported. */
  readonly userClaims = new Claims();
  private identity: Promise<CallerIdentity> | undefined;

  constructor(
    private readonly client: GatewayClient,
    readonly gatewayUrl: string,
    token: string,
    private readonly connect?: ConnectAs,
  ) {
    this.configuredTokenHash = hashApiToken(token);
    this.configuredTokenPrefix = tokenPrefix(token);
  }

  gateway(): GatewayClient {
    return this.client;
  }

  /**
   * The caller, from one GetMe per process shared by everyone who asks (Configure asks first). A failure is
   * not kept: the next caller asks again. Throws the GatewayError otherwise.
   */
  callerIdentity(signal?: AbortSignal): Promise<CallerIdentity> {
    this.identity ??= this.client.getMe({ signal }).then(
      (me) => ({ user: me.user, clusterRole: me.user ? me.clusterRole : null }),
      (err: unknown) => {
        // The bootstrap admin token is valid but has no user record, so GetMe refuses it.
        if (err instanceof GatewayError && err.code === "permission_denied") return { user: null, clusterRole: null };
        this.identity = undefined;
        throw err;
      },
    );
    return this.identity;
  }

  /**
   * The way to reach this Gateway as another token's owner, for work that must not depend on the configured
   * token still being valid (closing an ephemeral token). Undefined when the session was built without one.
   */
  connectAs(): ConnectAs | undefined {
    return this.connect;
  }
}
