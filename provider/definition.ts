// What a provider, its resources, data sources and ephemeral resources implement. Values are typed from
// each schema declaration (schema/typed-values.ts); nothing here knows protocol versions, gRPC or msgpack.
import type { CtyObject, CtyType } from "../schema/cty";
import type { Schema } from "../schema/declaration";
import type { Diagnostic } from "../schema/diagnostics";
import type { Path } from "../schema/path";
import type { ApplyingValues, KnownValues, PlanningValues } from "../schema/typed-values";
import type { Logger } from "./logging/logger";

type Known<S extends Schema> = KnownValues<S["block"]>;
type Planning<S extends Schema> = PlanningValues<S["block"]>;
type Applying<S extends Schema> = ApplyingValues<S["block"]>;

/** Per-call context handed to every operation that may need the Gateway (or whatever the session holds). */
export interface OperationContext<Session> {
  /** What Configure produced; when there is none, the call ends with the reasons (as diagnostics). */
  session(): Session;
  /** The session if there is one, for checks that simply do not apply without it. */
  sessionIfConfigured(): Session | undefined;
  readonly log: Logger;
  /** Aborted when Terraform calls Stop (Ctrl-C). */
  readonly signal: AbortSignal;
}

/** Validation runs before any credentials exist: it gets a logger and nothing else. */
export interface ValidationContext {
  readonly log: Logger;
}

/** Configure may reach the provider's API (e.g. to check the credentials once); Stop cancels that. */
export interface ConfigureContext extends ValidationContext {
  /** Aborted when Terraform calls Stop (Ctrl-C). */
  readonly signal: AbortSignal;
}

export interface Result<T> {
  readonly value?: T;
  readonly diagnostics?: Diagnostic[];
}

/**
 * A resource's answer with its private state: bytes Terraform stores next to the object, never shows, and
 * hands back to read, update and delete. Undefined keeps what Terraform sent.
 */
export interface ResourceResult<T> extends Result<T> {
  readonly private?: Uint8Array;
}

/**
 * The values a resource is handed (state, prior, config, planned) are its to read, never to change: the core
 * still holds them, checks the answer against them and, when the answer equals what Terraform sent, answers with
 * the bytes it was sent. A resource that wants a different value returns a new object.
 */
export interface ResourceDefinition<Session, S extends Schema = Schema> {
  readonly typeName: string;
  readonly schema: S;
  validateConfig?(config: Planning<S>, ctx: ValidationContext): Diagnostic[];
  /**
   * Resource-level plan logic, after the generic algorithm and attribute plan modifiers ran.
   * `planned` is null only for destroy plans (then only diagnostics matter). `requiresReplace` lists what
   * already forces a replacement (attribute plan modifiers), so a resource can refuse one at plan time.
   */
  modifyPlan?(
    req: { prior: Known<S> | null; config: Planning<S> | null; planned: Planning<S> | null; requiresReplace?: readonly Path[] },
    ctx: OperationContext<Session>,
  ): Promise<{ planned?: Planning<S> | null; requiresReplace?: Path[]; diagnostics?: Diagnostic[] }>;
  create(req: { planned: Applying<S>; config: Known<S> }, ctx: OperationContext<Session>): Promise<ResourceResult<Known<S>>>;
  /** Returns null when the object no longer exists. */
  read(req: { state: Known<S>; private?: Uint8Array }, ctx: OperationContext<Session>): Promise<ResourceResult<Known<S> | null>>;
  update(req: { prior: Known<S>; planned: Applying<S>; config: Known<S> }, ctx: OperationContext<Session>): Promise<Result<Known<S>>>;
  delete(req: { prior: Known<S>; private?: Uint8Array }, ctx: OperationContext<Session>): Promise<{ diagnostics?: Diagnostic[] }>;
  importState?(id: string, ctx: OperationContext<Session>): Promise<Result<Known<S>>>;
  /**
   * How to read state stored at an older schema version, keyed by that version; each goes straight to the
   * current version. A version without an entry cannot be upgraded.
   */
  readonly stateUpgraders?: { readonly [fromVersion: number]: StateUpgrader<Known<S>> };
}

/** One older schema version: the object type it was stored with, and how it becomes the current shape. */
export interface StateUpgrader<Current = CtyObject> {
  /** The prior schema's object type; attributes it names are decoded even if the current schema dropped them. */
  readonly priorType: CtyType;
  upgrade(prior: CtyObject): Result<Current>;
}

export interface DataSourceDefinition<Session, S extends Schema = Schema> {
  readonly typeName: string;
  readonly schema: S;
  validateConfig?(config: Planning<S>, ctx: ValidationContext): Diagnostic[];
  /** Terraform reads a data source only once its configuration is known. */
  read(req: { config: Known<S> }, ctx: OperationContext<Session>): Promise<Result<Known<S>>>;
}

export interface EphemeralResourceDefinition<Session, S extends Schema = Schema> {
  readonly typeName: string;
  readonly schema: S;
  validateConfig?(config: Planning<S>, ctx: ValidationContext): Diagnostic[];
  open(
    req: { config: Known<S> },
    ctx: OperationContext<Session>,
  ): Promise<{ result?: Known<S>; renewAt?: Date; private?: Uint8Array; diagnostics?: Diagnostic[] }>;
  renew?(
    req: { private?: Uint8Array },
    ctx: OperationContext<Session>,
  ): Promise<{ renewAt?: Date; private?: Uint8Array; diagnostics?: Diagnostic[] }>;
  close?(req: { private?: Uint8Array }, ctx: OperationContext<Session>): Promise<{ diagnostics?: Diagnostic[] }>;
}

/** What Configure produces: a session, or the reasons there is none (reported where a session is needed). */
export interface Configured<Session> {
  readonly session?: Session;
  /** Problems that do not fail Configure itself (e.g. values unknown until apply), but every use of the session. */
  readonly unavailable?: Diagnostic[];
  readonly diagnostics?: Diagnostic[];
}

export interface ProviderDefinition<Session, S extends Schema = Schema> {
  /** The provider's local name, e.g. "agyn"; resource type names start with it. */
  readonly name: string;
  /** The registry address Terraform knows it by, e.g. "registry.terraform.io/agynio/agyn". */
  readonly address: string;
  readonly version: string;
  /** Shapes of the secrets it handles; logs, diagnostics and Gateway errors redact every match. */
  readonly secretShapes: readonly RegExp[];
  readonly schema: S;
  validateConfig?(config: Planning<S>, ctx: ValidationContext): Diagnostic[];
  configure(req: { config: Planning<S>; terraformVersion: string }, ctx: ConfigureContext): Promise<Configured<Session>>;
  readonly resources: readonly ResourceDefinition<Session>[];
  readonly dataSources: readonly DataSourceDefinition<Session>[];
  readonly ephemeralResources: readonly EphemeralResourceDefinition<Session>[];
}
