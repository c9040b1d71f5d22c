// What a provider, its resources and data sources implement. Values are decoded cty objects; nothing here
// knows protocol versions, gRPC or msgpack.
import type { CtyObject, CtyType } from "../schema/cty";
import type { Schema } from "../schema/declaration";
import type { Diagnostic } from "../schema/diagnostics";
import type { Path } from "../schema/path";
import type { Logger } from "./logging/logger";

/** Per-call context handed to every operation. */
export interface OperationContext<Session> {
  /** What Configure produced; reading it when configuration failed or was unknown ends the call with diagnostics. */
  session(): Session;
  readonly log: Logger;
  /** Aborted when Terraform calls Stop (Ctrl-C). */
  readonly signal: AbortSignal;
}

export interface Result<T> {
  readonly value?: T;
  readonly diagnostics?: Diagnostic[];
}

export interface ResourceDefinition<Session> {
  readonly typeName: string;
  readonly schema: Schema;
  validateConfig?(config: CtyObject, ctx: { readonly log: Logger }): Diagnostic[];
  /**
   * Resource-level plan logic, after the generic algorithm and attribute plan modifiers ran.
   * `planned` is null only for destroy plans (then only diagnostics matter).
   */
  modifyPlan?(
    req: { prior: CtyObject | null; config: CtyObject | null; planned: CtyObject | null },
    ctx: OperationContext<Session>,
  ): Promise<{ planned?: CtyObject | null; requiresReplace?: Path[]; diagnostics?: Diagnostic[] }>;
  create(req: { planned: CtyObject; config: CtyObject }, ctx: OperationContext<Session>): Promise<Result<CtyObject>>;
  /** Returns null when the object no longer exists. */
  read(req: { state: CtyObject }, ctx: OperationContext<Session>): Promise<Result<CtyObject | null>>;
  update(
    req: { prior: CtyObject; planned: CtyObject; config: CtyObject },
    ctx: OperationContext<Session>,
  ): Promise<Result<CtyObject>>;
  delete(req: { prior: CtyObject }, ctx: OperationContext<Session>): Promise<{ diagnostics?: Diagnostic[] }>;
  importState?(id: string, ctx: OperationContext<Session>): Promise<Result<CtyObject>>;
  /**
   * How to read state stored at an older schema version, keyed by that version; each goes straight to the
   * current version. A version without an entry cannot be upgraded.
   */
  readonly stateUpgraders?: { readonly [fromVersion: number]: StateUpgrader };
}

/** One older schema version: the object type it was stored with, and how it becomes the current shape. */
export interface StateUpgrader {
  /** The prior schema's object type; attributes it names are decoded even if the current schema dropped them. */
  readonly priorType: CtyType;
  upgrade(prior: CtyObject): Result<CtyObject>;
}

export interface DataSourceDefinition<Session> {
  readonly typeName: string;
  readonly schema: Schema;
  validateConfig?(config: CtyObject, ctx: { readonly log: Logger }): Diagnostic[];
  read(req: { config: CtyObject }, ctx: OperationContext<Session>): Promise<Result<CtyObject>>;
}

export interface EphemeralResourceDefinition<Session> {
  readonly typeName: string;
  readonly schema: Schema;
  validateConfig?(config: CtyObject, ctx: { readonly log: Logger }): Diagnostic[];
  open(
    req: { config: CtyObject },
    ctx: OperationContext<Session>,
  ): Promise<{ result?: CtyObject; renewAt?: Date; private?: Uint8Array; diagnostics?: Diagnostic[] }>;
  renew?(
    req: { private?: Uint8Array },
    ctx: OperationContext<Session>,
  ): Promise<{ renewAt?: Date; private?: Uint8Array; diagnostics?: Diagnostic[] }>;
  close?(req: { private?: Uint8Array }, ctx: OperationContext<Session>): Promise<{ diagnostics?: Diagnostic[] }>;
}

export interface ProviderDefinition<Session> {
  /** The provider's local name, e.g. "agyn"; resource type names start with it. */
  readonly name: string;
  /** The registry address Terraform knows it by, e.g. "registry.terraform.io/agynio/agyn". */
  readonly address: string;
  /** Shapes of the secrets it handles; logs, diagnostics and Gateway errors redact every match. */
  readonly secretShapes: readonly RegExp[];
  readonly version: string;
  readonly schema: Schema;
  validateConfig?(config: CtyObject, ctx: { readonly log: Logger }): Diagnostic[];
  configure(
    req: { config: CtyObject; terraformVersion: string },
    ctx: { readonly log: Logger },
  ): Promise<{ session?: Session; diagnostics?: Diagnostic[] }>;
  readonly resources: readonly ResourceDefinition<Session>[];
  readonly dataSources: readonly DataSourceDefinition<Session>[];
  readonly ephemeralResources: readonly EphemeralResourceDefinition<Session>[];
}
