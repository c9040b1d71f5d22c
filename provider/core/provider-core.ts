// The protocol-independent heart of the plugin: routes each RPC by type name to the provider's definition,
// runs it inside the error boundary with Terraform's rules around it (resource-rpcs.ts, data-source-rpcs.ts,
// ephemeral-rpcs.ts), and holds what Configure produced. The wire adapters (protocol/) call it.
import { type Schema, attributesOf } from "../../schema/declaration";
import { DiagnosticError, error, hasErrors, quoted } from "../../schema/diagnostics";
import type {
  DataSourceDefinition,
  EphemeralResourceDefinition,
  OperationContext,
  ProviderDefinition,
  ResourceDefinition,
} from "../definition";
import type { Logger } from "../logging/logger";
import { registerSecretPattern } from "../logging/secret-redaction";
import { readDataSource } from "./data-source-rpcs";
import { closeEphemeralResource, openEphemeralResource, renewEphemeralResource } from "./ephemeral-rpcs";
import { withinBoundary } from "./error-boundary";
import type {
  ApplyResourceChangeAnswer,
  ApplyResourceChangeRequest,
  ConfigureRequest,
  Diagnosed,
  EphemeralPrivateRequest,
  ImportResourceStateAnswer,
  ImportResourceStateRequest,
  OpenEphemeralResourceAnswer,
  OpenEphemeralResourceRequest,
  PlanResourceChangeAnswer,
  PlanResourceChangeRequest,
  ReadDataSourceAnswer,
  ReadDataSourceRequest,
  ReadResourceAnswer,
  ReadResourceRequest,
  RenewEphemeralResourceAnswer,
  UpgradeResourceStateAnswer,
  UpgradeResourceStateRequest,
  ValidateConfigRequest,
  ValidateProviderConfigRequest,
  ValidateResourceConfigRequest,
} from "./requests";
import { applyResourceChange, importResourceState, planResourceChange, readResource, upgradeResourceState } from "./resource-rpcs";
import { SessionState } from "./session-state";
import { errorsOnceKnown, validateBlockValues } from "./validation";
import { decodeObject } from "./value-codec";

export interface ProviderSchemas {
  provider: Schema;
  resources: ReadonlyMap<string, Schema>;
  dataSources: ReadonlyMap<string, Schema>;
  ephemeralResources: ReadonlyMap<string, Schema>;
}

export class ProviderCore<Session> {
  private readonly session = new SessionState<Session>();
  private readonly stopController = new AbortController();
  private readonly contexts = new Map<string, OperationContext<Session>>();
  private readonly resources: Map<string, ResourceDefinition<Session>>;
  private readonly dataSources: Map<string, DataSourceDefinition<Session>>;
  private readonly ephemerals: Map<string, EphemeralResourceDefinition<Session>>;

  constructor(
    private readonly def: ProviderDefinition<Session>,
    private readonly log: Logger,
    /** Called once Configure succeeded: from here on the process serves the command's resource calls. */
    private readonly onConfigured: () => void = () => {},
  ) {
    for (const shape of def.secretShapes) registerSecretPattern(shape);
    this.resources = new Map(def.resources.map((r) => [r.typeName, r]));
    this.dataSources = new Map(def.dataSources.map((d) => [d.typeName, d]));
    this.ephemerals = new Map(def.ephemeralResources.map((e) => [e.typeName, e]));
  }

  /** The provider's local name ("agyn"), for messages: the framework names a provider only through its definition. */
  get providerName(): string {
    return this.def.name;
  }

  schemas(): ProviderSchemas {
    return {
      provider: this.def.schema,
      resources: new Map([...this.resources].map(([k, v]) => [k, v.schema])),
      dataSources: new Map([...this.dataSources].map(([k, v]) => [k, v.schema])),
      ephemeralResources: new Map([...this.ephemerals].map(([k, v]) => [k, v.schema])),
    };
  }

  // ---- validation: no session, no network -------------------------------------------------------------

  validateProviderConfig(req: ValidateProviderConfigRequest): Promise<Diagnosed> {
    return this.boundary("ValidateProviderConfig", async () => {
      const config = decodeObject(req.config, this.def.schema.block, "provider configuration");
      return { diagnostics: [...validateBlockValues(this.def.schema.block, config), ...(this.def.validateConfig?.(config, { log: this.log }) ?? [])] };
    }, {});
  }

  validateResourceConfig(req: ValidateResourceConfigRequest): Promise<Diagnosed> {
    return this.boundary("ValidateResourceConfig", async () => {
      const resource = this.resource(req.typeName);
      const config = decodeObject(req.config, resource.schema.block, "resource configuration");
      const diagnostics = validateBlockValues(resource.schema.block, config);
      for (const [name, attr] of attributesOf(resource.schema.block)) {
        if (attr.writeOnly && !req.writeOnlyAllowed && (config[name] ?? null) !== null) {
          diagnostics.push(error("Write-only attribute not allowed",
            `"${name}" is write-only, which needs Terraform 1.11 or OpenTofu 1.11 or later.`, [{ attr: name }]));
        }
      }
      return { diagnostics: [...diagnostics, ...(resource.validateConfig?.(config, { log: this.log }) ?? [])] };
    }, {});
  }

  validateDataSourceConfig(req: ValidateConfigRequest): Promise<Diagnosed> {
    return this.boundary("ValidateDataSourceConfig", async () => {
      const ds = this.dataSource(req.typeName);
      const config = decodeObject(req.config, ds.schema.block, "data source configuration");
      return { diagnostics: [...validateBlockValues(ds.schema.block, config), ...(ds.validateConfig?.(config, { log: this.log }) ?? [])] };
    }, {});
  }

  validateEphemeralResourceConfig(req: ValidateConfigRequest): Promise<Diagnosed> {
    return this.boundary("ValidateEphemeralResourceConfig", async () => {
      const eph = this.ephemeral(req.typeName);
      const config = decodeObject(req.config, eph.schema.block, "ephemeral resource configuration");
      return { diagnostics: [...validateBlockValues(eph.schema.block, config), ...(eph.validateConfig?.(config, { log: this.log }) ?? [])] };
    }, {});
  }

  // ---- configuration -----------------------------------------------------------------------------------

  configure(req: ConfigureRequest): Promise<Diagnosed> {
    return this.boundary("ConfigureProvider", async () => {
      const config = decodeObject(req.config, this.def.schema.block, "provider configuration");
      const invalid = errorsOnceKnown(this.def.schema.block, config, this.def.validateConfig && ((c) => this.def.validateConfig!(c, { log: this.log })));
      if (invalid.length > 0) {
        this.session.unavailable(invalid);
        return { diagnostics: invalid };
      }
      const result = await this.def.configure({ config, terraformVersion: req.terraformVersion }, { log: this.log, signal: this.stopController.signal });
      const diagnostics = result.diagnostics ?? [];
      if (result.session !== undefined && !hasErrors(diagnostics)) {
        this.session.configured(result.session);
        this.onConfigured();
      } else this.session.unavailable([...diagnostics.filter((d) => d.severity === "error"), ...(result.unavailable ?? [])]);
      return { diagnostics };
    }, {});
  }

  // ---- managed resources -------------------------------------------------------------------------------

  upgradeResourceState(req: UpgradeResourceStateRequest): Promise<UpgradeResourceStateAnswer> {
    return this.boundary("UpgradeResourceState", async () => upgradeResourceState(this.resource(req.typeName), req), {});
  }

  readResource(req: ReadResourceRequest): Promise<ReadResourceAnswer> {
    return this.boundary("ReadResource", () => readResource(this.resourceCall(req.typeName), req), {});
  }

  planResourceChange(req: PlanResourceChangeRequest): Promise<PlanResourceChangeAnswer> {
    return this.boundary("PlanResourceChange", () => planResourceChange(this.resourceCall(req.typeName), req), { requiresReplace: [] });
  }

  applyResourceChange(req: ApplyResourceChangeRequest): Promise<ApplyResourceChangeAnswer> {
    return this.boundary("ApplyResourceChange", () => applyResourceChange(this.resourceCall(req.typeName), req), {});
  }

  importResourceState(req: ImportResourceStateRequest): Promise<ImportResourceStateAnswer> {
    return this.boundary("ImportResourceState", () => importResourceState(this.resourceCall(req.typeName), req.id), { imported: [] });
  }

  // ---- data sources and ephemeral resources ------------------------------------------------------------

  readDataSource(req: ReadDataSourceRequest): Promise<ReadDataSourceAnswer> {
    return this.boundary("ReadDataSource", () =>
      readDataSource({ dataSource: this.dataSource(req.typeName), provider: this.providerName, context: this.context(req.typeName) }, req), {});
  }

  openEphemeralResource(req: OpenEphemeralResourceRequest): Promise<OpenEphemeralResourceAnswer> {
    return this.boundary("OpenEphemeralResource", () => openEphemeralResource(this.ephemeralCall(req.typeName), req), {});
  }

  renewEphemeralResource(req: EphemeralPrivateRequest): Promise<RenewEphemeralResourceAnswer> {
    return this.boundary("RenewEphemeralResource", () => renewEphemeralResource(this.ephemeralCall(req.typeName), req), {});
  }

  closeEphemeralResource(req: EphemeralPrivateRequest): Promise<Diagnosed> {
    return this.boundary("CloseEphemeralResource", () => closeEphemeralResource(this.ephemeralCall(req.typeName), req), {});
  }

  /** Terraform's Stop / StopProvider (Ctrl-C): cancel what can be cancelled. */
  stop(): string {
    this.log.info("stop requested by Terraform; cancelling in-flight requests");
    this.stopController.abort();
    return "";
  }

  // ---- routing -----------------------------------------------------------------------------------------

  private boundary<T extends Diagnosed>(operation: string, fn: () => Promise<T>, empty: Omit<T, "diagnostics">): Promise<T> {
    return withinBoundary({ operation, provider: this.providerName, log: this.log }, fn, empty);
  }

  /** One per type for the process: every call on a type gets the same context (no logger built per call). */
  private context(typeName: string): OperationContext<Session> {
    let context = this.contexts.get(typeName);
    if (!context) {
      context = {
        session: () => this.session.require(),
        sessionIfConfigured: () => this.session.current(),
        log: this.log.with({ type_name: typeName }),
        signal: this.stopController.signal,
      };
      this.contexts.set(typeName, context);
    }
    return context;
  }

  private resourceCall(typeName: string) {
    return { resource: this.resource(typeName), provider: this.providerName, context: this.context(typeName) };
  }

  private ephemeralCall(typeName: string) {
    return { ephemeral: this.ephemeral(typeName), context: this.context(typeName) };
  }

  private resource(typeName: string): ResourceDefinition<Session> {
    const r = this.resources.get(typeName);
    if (!r) throw this.unknownType("resource", typeName, [...this.resources.keys()]);
    return r;
  }

  private dataSource(typeName: string): DataSourceDefinition<Session> {
    const d = this.dataSources.get(typeName);
    if (!d) throw this.unknownType("data source", typeName, [...this.dataSources.keys()]);
    return d;
  }

  private ephemeral(typeName: string): EphemeralResourceDefinition<Session> {
    const e = this.ephemerals.get(typeName);
    if (!e) throw this.unknownType("ephemeral resource", typeName, [...this.ephemerals.keys()]);
    return e;
  }

  private unknownType(kind: string, typeName: string, known: string[]): DiagnosticError {
    return new DiagnosticError(error(`Unknown ${kind} type`,
      `The ${this.providerName} provider has no ${kind} ${quoted(typeName)}. Known: ${known.length ? known.join(", ") : "none"}.`));
  }
}

