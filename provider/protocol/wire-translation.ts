// Translation between tfplugin wire messages and the core's requests. tfplugin5 and tfplugin6 use the same
// field names for everything the provider needs, so one translation serves both: each function takes the
// union of the two versions' request messages and answers with a shape both versions' response messages
// accept (protocol5.ts and protocol6.ts check that at compile time by mapping their RPCs onto it).
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type * as v5 from "../../gen/tfplugin5/tfplugin5_pb";
import type * as v6 from "../../gen/tfplugin6/tfplugin6_pb";
import type { Block, Schema } from "../../schema/declaration";
import { type Diagnostic, quoted } from "../../schema/diagnostics";
import { redactSecrets } from "../logging/secret-redaction";
import type { Path } from "../../schema/path";
import type { ProviderCore } from "../core/provider-core";
import type { RawValue } from "../core/requests";

type WireDynamicValue = v5.DynamicValue | v6.DynamicValue;

const SEVERITY = { error: 1, warning: 2 } as const;
const STRING_KIND = { plain: 0, markdown: 1 } as const;
const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;

function rawValue(v: WireDynamicValue | undefined): RawValue {
  return { msgpack: v?.msgpack, json: v?.json };
}

/** Responses are always msgpack: Terraform 0.13 and 0.14 cannot read JSON DynamicValues. */
function dynamicValue(msgpack: Uint8Array | undefined): { msgpack: Uint8Array } | undefined {
  return msgpack === undefined ? undefined : { msgpack };
}

export function wireDiagnostics(diags: readonly Diagnostic[]) {
  return diags.map((d) => ({
    severity: SEVERITY[d.severity],
    summary: d.summary,
    detail: d.detail ?? "",
    attribute: d.path && d.path.length > 0 ? wirePath(d.path) : undefined,
  }));
}

export function wirePath(path: Path) {
  return {
    steps: path.map((s) =>
      "attr" in s ? { selector: { case: "attributeName" as const, value: s.attr } }
        : "key" in s ? { selector: { case: "elementKeyString" as const, value: s.key } }
        : { selector: { case: "elementKeyInt" as const, value: BigInt(s.index) } }),
  };
}

function wireSchema(schema: Schema) {
  return { version: BigInt(schema.version), block: wireBlock(schema.block) };
}

function description(d: { description: string; markdownDescription?: string }) {
  return d.markdownDescription
    ? { description: d.markdownDescription, descriptionKind: STRING_KIND.markdown }
    : { description: d.description, descriptionKind: STRING_KIND.plain };
}

interface WireBlock {
  version: bigint;
  description: string;
  descriptionKind: number;
  deprecated: boolean;
  attributes: object[];
  blockTypes: { typeName: string; block: WireBlock; nesting: number; minItems: bigint; maxItems: bigint }[];
}

/**
 * Names in code-unit order: the same in every locale, and without localeCompare, whose first call loads ICU's
 * collation data (a tenth of a launch's work between its handshake and its first answer).
 */
const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

function wireBlock(block: Block): WireBlock {
  return {
    version: 0n,
    ...description(block),
    deprecated: Boolean(block.deprecationMessage),
    attributes: Object.entries(block.attributes)
      .sort(byName)
      .map(([name, a]) => ({
        name,
        type: new TextEncoder().encode(JSON.stringify(a.type)),
        ...description(a),
        required: Boolean(a.required),
        optional: Boolean(a.optional),
        computed: Boolean(a.computed),
        sensitive: Boolean(a.sensitive),
        deprecated: Boolean(a.deprecationMessage),
        writeOnly: Boolean(a.writeOnly),
      })),
    blockTypes: Object.entries(block.blocks ?? {})
      .sort(byName)
      .map(([typeName, nb]) => ({
        typeName,
        block: wireBlock(nb.block),
        nesting: NESTING[nb.nesting],
        minItems: BigInt(nb.minItems ?? 0),
        maxItems: BigInt(nb.maxItems ?? 0),
      })),
  };
}

function schemaMap(m: ReadonlyMap<string, Schema>) {
  return Object.fromEntries([...m].map(([k, v]) => [k, wireSchema(v)]));
}

const timestamp = (date: Date | undefined) => (date ? timestampFromDate(date) : undefined);

/** The translation of every RPC both protocol versions share, keyed by what it does. */
export function wireTranslation<S>(core: ProviderCore<S>) {
  return {
    async getProviderSchema() {
      const s = core.schemas();
      return {
        provider: wireSchema(s.provider),
        resourceSchemas: schemaMap(s.resources),
        dataSourceSchemas: schemaMap(s.dataSources),
        ephemeralResourceSchemas: schemaMap(s.ephemeralResources),
        // plan_destroy lets a resource veto a destroy at plan time (Terraform >= 1.3 asks for it).
        // get_provider_schema_optional: the schema is fixed per build, so Terraform >= 1.6 reuses the one the
        // first process of a command gave instead of asking every process it starts again.
        serverCapabilities: { planDestroy: true, getProviderSchemaOptional: true, moveResourceState: false },
        diagnostics: [],
      };
    },
    async getMetadata() {
      const s = core.schemas();
      return {
        serverCapabilities: { planDestroy: true },
        resources: [...s.resources.keys()].map((typeName) => ({ typeName })),
        dataSources: [...s.dataSources.keys()].map((typeName) => ({ typeName })),
        ephemeralResources: [...s.ephemeralResources.keys()].map((typeName) => ({ typeName })),
        diagnostics: [],
      };
    },
    async validateProviderConfig(req: v5.PrepareProviderConfig_Request | v6.ValidateProviderConfig_Request) {
      return answer(await core.validateProviderConfig({ config: rawValue(req.config) }));
    },
    async validateResourceConfig(req: v5.ValidateResourceTypeConfig_Request | v6.ValidateResourceConfig_Request) {
      return answer(await core.validateResourceConfig({
        typeName: req.typeName,
        config: rawValue(req.config),
        writeOnlyAllowed: Boolean(req.clientCapabilities?.writeOnlyAttributesAllowed),
      }));
    },
    async validateDataSourceConfig(req: v5.ValidateDataSourceConfig_Request | v6.ValidateDataResourceConfig_Request) {
      return answer(await core.validateDataSourceConfig({ typeName: req.typeName, config: rawValue(req.config) }));
    },
    async validateEphemeralResourceConfig(req: v5.ValidateEphemeralResourceConfig_Request | v6.ValidateEphemeralResourceConfig_Request) {
      return answer(await core.validateEphemeralResourceConfig({ typeName: req.typeName, config: rawValue(req.config) }));
    },
    async configureProvider(req: v5.Configure_Request | v6.ConfigureProvider_Request) {
      return answer(await core.configure({ terraformVersion: req.terraformVersion, config: rawValue(req.config) }));
    },
    async upgradeResourceState(req: v5.UpgradeResourceState_Request | v6.UpgradeResourceState_Request) {
      const r = await core.upgradeResourceState({
        typeName: req.typeName,
        version: Number(req.version),
        rawState: { json: req.rawState?.json, flatmap: req.rawState?.flatmap },
      });
      return { upgradedState: dynamicValue(r.upgradedState), ...answer(r) };
    },
    async readResource(req: v5.ReadResource_Request | v6.ReadResource_Request) {
      const r = await core.readResource({ typeName: req.typeName, currentState: rawValue(req.currentState), private: req.private });
      return { newState: dynamicValue(r.newState), private: r.private ?? new Uint8Array(), ...answer(r) };
    },
    async planResourceChange(req: v5.PlanResourceChange_Request | v6.PlanResourceChange_Request) {
      const r = await core.planResourceChange({
        typeName: req.typeName,
        priorState: rawValue(req.priorState),
        proposedNewState: rawValue(req.proposedNewState),
        config: rawValue(req.config),
        priorPrivate: req.priorPrivate,
      });
      return {
        plannedState: dynamicValue(r.plannedState),
        requiresReplace: r.requiresReplace.map(wirePath),
        plannedPrivate: r.plannedPrivate ?? new Uint8Array(),
        ...answer(r),
      };
    },
    async applyResourceChange(req: v5.ApplyResourceChange_Request | v6.ApplyResourceChange_Request) {
      const r = await core.applyResourceChange({
        typeName: req.typeName,
        priorState: rawValue(req.priorState),
        plannedState: rawValue(req.plannedState),
        config: rawValue(req.config),
        plannedPrivate: req.plannedPrivate,
      });
      return { newState: dynamicValue(r.newState), private: r.private ?? new Uint8Array(), ...answer(r) };
    },
    async importResourceState(req: v5.ImportResourceState_Request | v6.ImportResourceState_Request) {
      const r = await core.importResourceState({ typeName: req.typeName, id: req.id });
      return {
        importedResources: r.imported.map((i) => ({ typeName: i.typeName, state: { msgpack: i.state }, private: new Uint8Array() })),
        ...answer(r),
      };
    },
    async moveResourceState(req: v5.MoveResourceState_Request | v6.MoveResourceState_Request) {
      return answer({ diagnostics: [{ severity: "error", summary: "Move not supported",
        detail: redactSecrets(`The ${core.providerName} provider cannot move state from ${quoted(req.sourceTypeName)} to ${quoted(req.targetTypeName)}.`) }] });
    },
    async readDataSource(req: v5.ReadDataSource_Request | v6.ReadDataSource_Request) {
      const r = await core.readDataSource({ typeName: req.typeName, config: rawValue(req.config) });
      return { state: dynamicValue(r.state), ...answer(r) };
    },
    async getFunctions() {
      return { functions: {}, diagnostics: [] };
    },
    async callFunction(req: v5.CallFunction_Request | v6.CallFunction_Request) {
      return { error: { text: redactSecrets(`The ${core.providerName} provider has no function ${quoted(req.name)}.`) } };
    },
    async openEphemeralResource(req: v5.OpenEphemeralResource_Request | v6.OpenEphemeralResource_Request) {
      const r = await core.openEphemeralResource({ typeName: req.typeName, config: rawValue(req.config) });
      return { result: dynamicValue(r.result), renewAt: timestamp(r.renewAt), private: r.private, ...answer(r) };
    },
    async renewEphemeralResource(req: v5.RenewEphemeralResource_Request | v6.RenewEphemeralResource_Request) {
      const r = await core.renewEphemeralResource({ typeName: req.typeName, private: req.private });
      return { renewAt: timestamp(r.renewAt), private: r.private, ...answer(r) };
    },
    async closeEphemeralResource(req: v5.CloseEphemeralResource_Request | v6.CloseEphemeralResource_Request) {
      return answer(await core.closeEphemeralResource({ typeName: req.typeName, private: req.private }));
    },
    async stopProvider() {
      return { Error: core.stop() };
    },
  };
}

/** The RPCs whose method names are the same in both protocol versions (the adapters add the others). */
export function sameNamedRpcs<S>(t: ReturnType<typeof wireTranslation<S>>) {
  return {
    getMetadata: t.getMetadata,
    upgradeResourceState: t.upgradeResourceState,
    readResource: t.readResource,
    planResourceChange: t.planResourceChange,
    applyResourceChange: t.applyResourceChange,
    importResourceState: t.importResourceState,
    moveResourceState: t.moveResourceState,
    readDataSource: t.readDataSource,
    getFunctions: t.getFunctions,
    callFunction: t.callFunction,
    validateEphemeralResourceConfig: t.validateEphemeralResourceConfig,
    openEphemeralResource: t.openEphemeralResource,
    renewEphemeralResource: t.renewEphemeralResource,
    closeEphemeralResource: t.closeEphemeralResource,
  };
}

function answer(r: { readonly diagnostics: readonly Diagnostic[] }) {
  return { diagnostics: wireDiagnostics(r.diagnostics) };
}
