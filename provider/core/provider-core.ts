// The protocol-independent heart of the plugin: routes calls by type name, decodes and encodes values with
// the schema, enforces Terraform's rules on every answer, and turns anything thrown into a diagnostic.
// The wire adapters (protocol5.ts, protocol6.ts) translate messages to and from these calls.
import { CtyObject, CtyType, CtyValue, isObjectValue, isWhollyKnown } from "../../schema/cty";
import { Block, Schema, impliedType } from "../../schema/declaration";
import type { Path } from "../../schema/path";
import { CodecError } from "../codec/codec-error";
import { decodeJsonState } from "../codec/json-state";
import { decodeMsgpack, encodeMsgpack } from "../codec/msgpack";
import {
  DataSourceDefinition,
  EphemeralResourceDefinition,
  OperationContext,
  ProviderDefinition,
  ResourceDefinition,
} from "../definition";
import { Diagnostic, DiagnosticError, error, hasErrors } from "../../schema/diagnostics";
import type { Logger } from "../logging/logger";
import { checkAppliedAgainstPlan, checkPlanAgainstConfig, planWithSchema } from "./planning";
import { redactSecrets, registerSecretPattern } from "../logging/secret-redaction";
import { validateBlockValues } from "./validation";

/** A DynamicValue as it arrives: Terraform sends msgpack; JSON appears only in raw state. */
export interface RawValue {
  readonly msgpack?: Uint8Array;
  readonly json?: Uint8Array;
}

/** msgpack nil: how a null object is answered, readable by every Terraform since 0.12. */
const NULL_MSGPACK = Uint8Array.of(0xc0);

export interface ProviderSchemas {
  provider: Schema;
  resources: ReadonlyMap<string, Schema>;
  dataSources: ReadonlyMap<string, Schema>;
  ephemeralResources: ReadonlyMap<string, Schema>;
}

export class ProviderCore<Session> {
  private session: Session | undefined;
  private unconfigured: Diagnostic[] = [
    error("Provider not configured", "Terraform called an operation before configuring the provider."),
  ];
  private stopController = new AbortController();
  private readonly resources: Map<string, ResourceDefinition<Session>>;
  private readonly dataSources: Map<string, DataSourceDefinition<Session>>;
  private readonly ephemerals: Map<string, EphemeralResourceDefinition<Session>>;

  constructor(private readonly def: ProviderDefinition<Session>, private readonly log: Logger) {
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

  validateProviderConfig(config: RawValue): Promise<Diagnostic[]> {
    return this.diagnosticsOnly("ValidateProviderConfig", async () => {
      const value = this.decodeObject(config, this.def.schema.block, "provider configuration");
      return [...validateBlockValues(this.def.schema.block, value), ...(this.def.validateConfig?.(value, { log: this.log }) ?? [])];
    });
  }

  validateResourceConfig(typeName: string, config: RawValue, writeOnlyAllowed: boolean): Promise<Diagnostic[]> {
    return this.diagnosticsOnly("ValidateResourceConfig", async () => {
      const resource = this.resource(typeName);
      const value = this.decodeObject(config, resource.schema.block, "resource configuration");
      const diags = validateBlockValues(resource.schema.block, value);
      for (const [name, attr] of Object.entries(resource.schema.block.attributes)) {
        if (attr.writeOnly && !writeOnlyAllowed && (value[name] ?? null) !== null) {
          diags.push(error("Write-only attribute not allowed",
            `"${name}" is write-only, which needs Terraform 1.11 or OpenTofu 1.11 or later.`, [{ attr: name }]));
        }
      }
      return [...diags, ...(resource.validateConfig?.(value, { log: this.log }) ?? [])];
    });
  }

  validateDataSourceConfig(typeName: string, config: RawValue): Promise<Diagnostic[]> {
    return this.diagnosticsOnly("ValidateDataSourceConfig", async () => {
      const ds = this.dataSource(typeName);
      const value = this.decodeObject(config, ds.schema.block, "data source configuration");
      return [...validateBlockValues(ds.schema.block, value), ...(ds.validateConfig?.(value, { log: this.log }) ?? [])];
    });
  }

  validateEphemeralResourceConfig(typeName: string, config: RawValue): Promise<Diagnostic[]> {
    return this.diagnosticsOnly("ValidateEphemeralResourceConfig", async () => {
      const eph = this.ephemeral(typeName);
      const value = this.decodeObject(config, eph.schema.block, "ephemeral resource configuration");
      return [...validateBlockValues(eph.schema.block, value), ...(eph.validateConfig?.(value, { log: this.log }) ?? [])];
    });
  }

  configure(terraformVersion: string, config: RawValue): Promise<Diagnostic[]> {
    return this.diagnosticsOnly("ConfigureProvider", async () => {
      const value = this.decodeObject(config, this.def.schema.block, "provider configuration");
      const result = await this.def.configure({ config: value, terraformVersion }, { log: this.log });
      const diags = result.diagnostics ?? [];
      if (result.session !== undefined && !hasErrors(diags)) {
        this.session = result.session;
      } else {
        // Never leave this empty: an operation ending without an error and without a value would read as
        // "the object is gone" to Terraform.
        const errors = diags.filter((d) => d.severity === "error");
        this.unconfigured = errors.length > 0 ? errors
          : [error("Provider not configured", "Configuring the provider produced no session and no error. This is a bug in the provider.")];
      }
      return diags;
    });
  }

  upgradeResourceState(
    typeName: string,
    version: number,
    rawState: { json?: Uint8Array; flatmap?: Record<string, string> },
  ): Promise<{ upgradedState?: Uint8Array; diagnostics: Diagnostic[] }> {
    return this.guard("UpgradeResourceState", async () => {
      const resource = this.resource(typeName);
      const current = resource.schema.version;
      if (version > current) {
        throw new DiagnosticError(error("Resource state is from a newer provider",
          `The state of this ${typeName} was written at schema version ${version}; this provider understands up to ${current}. Upgrade the provider.`));
      }
      if (!rawState.json || rawState.json.length === 0) {
        if (rawState.flatmap && Object.keys(rawState.flatmap).length > 0) {
          throw new DiagnosticError(error("Unsupported legacy state",
            `This ${typeName} state uses the pre-0.12 flatmap format, which this provider never wrote.`));
        }
        return { upgradedState: NULL_MSGPACK, diagnostics: [] };
      }
      const diagnostics: Diagnostic[] = [];
      let state: CtyObject;
      if (version < current) {
        const upgrader = resource.stateUpgraders?.[version];
        if (!upgrader) {
          throw new DiagnosticError(error("Cannot upgrade resource state", `No upgrade path from version ${version} of ${typeName}.`));
        }
        // Decoded with the old type: attributes the current schema dropped are what an upgrader needs most.
        const upgraded = upgrader.upgrade(this.asObject(this.decodeStoredState(rawState.json, upgrader.priorType)));
        diagnostics.push(...(upgraded.diagnostics ?? []));
        if (!upgraded.value) return { diagnostics };
        state = upgraded.value;
      } else {
        state = this.asObject(this.decodeStoredState(rawState.json, impliedType(resource.schema.block)));
      }
      nullWriteOnly(resource.schema.block, state);
      return { upgradedState: this.encode(state, resource.schema.block), diagnostics };
    });
  }

  readResource(
    typeName: string,
    currentState: RawValue,
    privateData: Uint8Array,
  ): Promise<{ newState?: Uint8Array; private?: Uint8Array; diagnostics: Diagnostic[] }> {
    return this.guard("ReadResource", async () => {
      const resource = this.resource(typeName);
      const state = this.decodeNullableObject(currentState, resource.schema.block, "current state");
      if (state === null) return { newState: NULL_MSGPACK, diagnostics: [] };
      const result = await resource.read({ state }, this.context(typeName));
      const diagnostics = [...(result.diagnostics ?? [])];
      if (result.value === undefined) {
        // An error without a value keeps the existing state, never drops it.
        return { newState: this.encode(state, resource.schema.block), private: privateData, diagnostics };
      }
      if (result.value === null) return { newState: NULL_MSGPACK, diagnostics };
      nullWriteOnly(resource.schema.block, result.value);
      if (!isWhollyKnown(result.value)) {
        diagnostics.push(error("Provider returned unknown values after read", `The ${this.providerName} provider left values of ${typeName} unknown. This is a bug in the provider.`));
        return { newState: this.encode(state, resource.schema.block), private: privateData, diagnostics };
      }
      return { newState: this.encode(result.value, resource.schema.block), private: privateData, diagnostics };
    });
  }

  planResourceChange(
    typeName: string,
    priorState: RawValue,
    proposedNewState: RawValue,
    config: RawValue,
    priorPrivate: Uint8Array,
  ): Promise<{ plannedState?: Uint8Array; requiresReplace: Path[]; plannedPrivate?: Uint8Array; diagnostics: Diagnostic[] }> {
    return this.guard("PlanResourceChange", async () => {
      const resource = this.resource(typeName);
      const block = resource.schema.block;
      const prior = this.decodeNullableObject(priorState, block, "prior state");
      const proposed = this.decodeNullableObject(proposedNewState, block, "proposed new state");
      const cfg = this.decodeNullableObject(config, block, "configuration");
      const ctx = this.context(typeName);
      if (proposed === null || cfg === null) {
        // Destroy: the plan must be null; the resource may still veto it with diagnostics.
        const veto = await resource.modifyPlan?.({ prior, config: null, planned: null }, ctx);
        return { plannedState: NULL_MSGPACK, requiresReplace: [], diagnostics: veto?.diagnostics ?? [] };
      }
      const generic = planWithSchema(block, prior, proposed, cfg);
      const diagnostics = [...generic.diagnostics];
      let planned = generic.planned;
      const requiresReplace = [...generic.requiresReplace];
      if (resource.modifyPlan) {
        const custom = await resource.modifyPlan({ prior, config: cfg, planned }, ctx);
        diagnostics.push(...(custom.diagnostics ?? []));
        if (custom.planned) planned = custom.planned;
        requiresReplace.push(...(custom.requiresReplace ?? []));
      }
      diagnostics.push(...checkPlanAgainstConfig(this.providerName, block, prior, cfg, planned));
      return {
        plannedState: this.encode(planned, block),
        requiresReplace: prior === null ? [] : dedupePaths(requiresReplace),
        plannedPrivate: priorPrivate,
        diagnostics,
      };
    });
  }

  applyResourceChange(
    typeName: string,
    priorState: RawValue,
    plannedState: RawValue,
    config: RawValue,
    plannedPrivate: Uint8Array,
  ): Promise<{ newState?: Uint8Array; private?: Uint8Array; diagnostics: Diagnostic[] }> {
    return this.guard("ApplyResourceChange", async () => {
      const resource = this.resource(typeName);
      const block = resource.schema.block;
      const prior = this.decodeNullableObject(priorState, block, "prior state");
      const planned = this.decodeNullableObject(plannedState, block, "planned state");
      const cfg = this.decodeNullableObject(config, block, "configuration");
      const ctx = this.context(typeName);
      if (planned === null) {
        if (prior === null) return { newState: NULL_MSGPACK, diagnostics: [] };
        const result = await resource.delete({ prior }, ctx);
        const diagnostics = result.diagnostics ?? [];
        // A failed delete keeps the object in state.
        return { newState: hasErrors(diagnostics) ? this.encode(prior, block) : NULL_MSGPACK, diagnostics };
      }
      const result = prior === null
        ? await resource.create({ planned, config: cfg ?? planned }, ctx)
        : await resource.update({ prior, planned, config: cfg ?? planned }, ctx);
      const diagnostics = [...(result.diagnostics ?? [])];
      if (!result.value) {
        return { newState: prior === null ? NULL_MSGPACK : this.encode(prior, block), private: plannedPrivate, diagnostics };
      }
      nullWriteOnly(block, result.value);
      if (!isWhollyKnown(result.value)) {
        diagnostics.push(error("Provider left values unknown after apply", `The ${this.providerName} provider did not set every value of ${typeName}. This is a bug in the provider.`));
      } else if (!hasErrors(diagnostics)) {
        // Like Terraform: a failed apply records what exists, which may well differ from the plan.
        diagnostics.push(...checkAppliedAgainstPlan(this.providerName, block, planned, result.value));
      }
      return { newState: this.encode(result.value, block), private: plannedPrivate, diagnostics };
    });
  }

  importResourceState(
    typeName: string,
    id: string,
  ): Promise<{ imported: { typeName: string; state: Uint8Array }[]; diagnostics: Diagnostic[] }> {
    return this.guard("ImportResourceState", async () => {
      const resource = this.resource(typeName);
      if (!resource.importState) {
        throw new DiagnosticError(error("Import not supported", `${typeName} cannot be imported.`));
      }
      const result = await resource.importState(id, this.context(typeName));
      if (!result.value) return { imported: [], diagnostics: result.diagnostics ?? [] };
      nullWriteOnly(resource.schema.block, result.value);
      return {
        imported: [{ typeName, state: this.encode(result.value, resource.schema.block) }],
        diagnostics: result.diagnostics ?? [],
      };
    }, () => ({ imported: [] }));
  }

  readDataSource(typeName: string, config: RawValue): Promise<{ state?: Uint8Array; diagnostics: Diagnostic[] }> {
    return this.guard("ReadDataSource", async () => {
      const ds = this.dataSource(typeName);
      const block = ds.schema.block;
      const cfg = this.decodeObject(config, block, "configuration");
      const result = await ds.read({ config: cfg }, this.context(typeName));
      const diagnostics = [...(result.diagnostics ?? [])];
      if (!result.value) return { diagnostics };
      if (!isWhollyKnown(result.value)) {
        diagnostics.push(error("Provider returned unknown values", `The ${this.providerName} provider left values of data.${typeName} unknown. This is a bug in the provider.`));
        return { diagnostics };
      }
      diagnostics.push(...checkPlanAgainstConfig(this.providerName, block, null, cfg, result.value));
      return { state: this.encode(result.value, block), diagnostics };
    });
  }

  openEphemeralResource(
    typeName: string,
    config: RawValue,
  ): Promise<{ result?: Uint8Array; renewAt?: Date; private?: Uint8Array; diagnostics: Diagnostic[] }> {
    return this.guard("OpenEphemeralResource", async () => {
      const eph = this.ephemeral(typeName);
      const cfg = this.decodeObject(config, eph.schema.block, "configuration");
      const opened = await eph.open({ config: cfg }, this.context(typeName));
      const diagnostics = [...(opened.diagnostics ?? [])];
      if (!opened.result) return { diagnostics, private: opened.private };
      return { result: this.encode(opened.result, eph.schema.block), renewAt: opened.renewAt, private: opened.private, diagnostics };
    });
  }

  renewEphemeralResource(
    typeName: string,
    privateData: Uint8Array | undefined,
  ): Promise<{ renewAt?: Date; private?: Uint8Array; diagnostics: Diagnostic[] }> {
    return this.guard("RenewEphemeralResource", async () => {
      const eph = this.ephemeral(typeName);
      if (!eph.renew) return { private: privateData, diagnostics: [] };
      const renewed = await eph.renew({ private: privateData }, this.context(typeName));
      return { renewAt: renewed.renewAt, private: renewed.private, diagnostics: renewed.diagnostics ?? [] };
    });
  }

  closeEphemeralResource(typeName: string, privateData: Uint8Array | undefined): Promise<Diagnostic[]> {
    return this.diagnosticsOnly("CloseEphemeralResource", async () => {
      const eph = this.ephemeral(typeName);
      const closed = await eph.close?.({ private: privateData }, this.context(typeName));
      return closed?.diagnostics ?? [];
    });
  }

  /** Terraform's Stop / StopProvider (Ctrl-C): cancel what can be cancelled. */
  stop(): string {
    this.log.info("stop requested by Terraform; cancelling in-flight requests");
    this.stopController.abort();
    return "";
  }

  // ---- plumbing ---------------------------------------------------------------------------------------

  private context(typeName: string): OperationContext<Session> {
    return {
      session: () => {
        if (this.session === undefined) throw new DiagnosticError(...this.unconfigured);
        return this.session;
      },
      log: this.log.with({ type_name: typeName }),
      signal: this.stopController.signal,
    };
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
      `The ${this.providerName} provider has no ${kind} "${typeName}". Known: ${known.length ? known.join(", ") : "none"}.`));
  }

  private decodeNullableObject(raw: RawValue, block: Block, what: string): CtyObject | null {
    const value = this.decode(raw, block, what);
    return value === null ? null : this.asObject(value, what);
  }

  private decodeObject(raw: RawValue, block: Block, what: string): CtyObject {
    const value = this.decode(raw, block, what);
    if (value === null) return nullObject(block);
    return this.asObject(value, what);
  }

  private decode(raw: RawValue, block: Block, what: string): CtyValue {
    return decodingOrDiagnostic(what, () => {
      if (raw.msgpack && raw.msgpack.length > 0) return decodeMsgpack(raw.msgpack, impliedType(block));
      if (raw.json && raw.json.length > 0) return decodeJsonState(raw.json, impliedType(block));
      return null;
    });
  }

  private decodeStoredState(json: Uint8Array, type: CtyType): CtyValue {
    return decodingOrDiagnostic("stored state", () => decodeJsonState(json, type));
  }

  private asObject(value: CtyValue, what = "value"): CtyObject {
    if (!isObjectValue(value)) throw new DiagnosticError(error(`Invalid ${what}`, "Expected an object."));
    return value;
  }

  private encode(value: CtyObject, block: Block): Uint8Array {
    return encodeMsgpack(value, impliedType(block));
  }

  private async diagnosticsOnly(operation: string, fn: () => Promise<Diagnostic[]>): Promise<Diagnostic[]> {
    const result = await this.guard(operation, async () => ({ diagnostics: await fn() }));
    return result.diagnostics;
  }

  /** The boundary: nothing thrown below escapes as a gRPC error or a crash; secrets are scrubbed. */
  private async guard<T extends { diagnostics: Diagnostic[] }>(
    operation: string,
    fn: () => Promise<T>,
    empty: () => Omit<T, "diagnostics"> = () => ({}) as Omit<T, "diagnostics">,
  ): Promise<T> {
    try {
      const result = await fn();
      return { ...result, diagnostics: result.diagnostics.map(scrub) };
    } catch (err) {
      if (err instanceof DiagnosticError) return { ...empty(), diagnostics: err.diagnostics.map(scrub) } as T;
      const message = err instanceof Error ? err.message : String(err);
      this.log.error("unexpected error", { operation, error: message, stack: err instanceof Error ? err.stack : undefined });
      return {
        ...empty(),
        diagnostics: [scrub(error(`Unexpected error in ${operation}`,
          `The ${this.providerName} provider failed unexpectedly: ${message}. This is a bug in the provider; please report it with the TF_LOG=debug output.`))],
      } as T;
    }
  }
}

function scrub(d: Diagnostic): Diagnostic {
  return { ...d, summary: redactSecrets(d.summary), detail: d.detail === undefined ? undefined : redactSecrets(d.detail) };
}


function nullObject(block: Block): CtyObject {
  const out: CtyObject = {};
  for (const name of Object.keys(block.attributes)) out[name] = null;
  for (const [name, nb] of Object.entries(block.blocks ?? {})) {
    out[name] = nb.nesting === "list" || nb.nesting === "set" ? [] : nb.nesting === "map" ? {} : nb.nesting === "group" ? nullObject(nb.block) : null;
  }
  return out;
}

function nullWriteOnly(block: Block, value: CtyObject): void {
  for (const [name, attr] of Object.entries(block.attributes)) if (attr.writeOnly) value[name] = null;
}

function dedupePaths(paths: Path[]): Path[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const k = JSON.stringify(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A CodecError (a value that does not fit its type) becomes an "Invalid …" diagnostic at its path. */
function decodingOrDiagnostic(what: string, decode: () => CtyValue): CtyValue {
  try {
    return decode();
  } catch (err) {
    if (err instanceof CodecError) {
      throw new DiagnosticError(error(`Invalid ${what}`, `Terraform sent a value the provider could not decode: ${err.message}.`,
        err.path.length > 0 ? err.path : undefined));
    }
    throw err;
  }
}
