// Translation between tfplugin wire messages and the core's calls. tfplugin5 and tfplugin6 use the same
// field names for everything the provider needs, so one translation serves both; protocol5.ts and
// protocol6.ts only name their RPCs and add their version's quirks.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Block, Schema } from "../../schema/declaration";
import type { Path } from "../../schema/path";
import type { ProviderCore, RawValue } from "../core/provider-core";
import type { Diagnostic } from "../../schema/diagnostics";

/* Wire shapes as the generated code presents them (fields shared by both protocol versions). */
export interface WireDynamicValue {
  msgpack: Uint8Array;
  json: Uint8Array;
}
type WireStep = { selector: { case: "attributeName" | "elementKeyString"; value: string } | { case: "elementKeyInt"; value: bigint } | { case: undefined } };

const STRING_KIND = { plain: 0, markdown: 1 } as const;
const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;

export function rawValue(v: WireDynamicValue | undefined): RawValue {
  return { msgpack: v?.msgpack, json: v?.json };
}

/** Responses are always msgpack: Terraform 0.13 and 0.14 cannot read JSON DynamicValues. */
export function dynamicValue(msgpack: Uint8Array | undefined): { msgpack: Uint8Array } | undefined {
  return msgpack === undefined ? undefined : { msgpack };
}

export function wireDiagnostics(diags: readonly Diagnostic[]): object[] {
  return diags.map((d) => ({
    severity: d.severity === "error" ? 1 : 2,
    summary: d.summary,
    detail: d.detail ?? "",
    attribute: d.path && d.path.length > 0 ? wirePath(d.path) : undefined,
  }));
}

export function wirePath(path: Path): { steps: WireStep[] } {
  return {
    steps: path.map((s): WireStep =>
      "attr" in s ? { selector: { case: "attributeName", value: s.attr } }
        : "key" in s ? { selector: { case: "elementKeyString", value: s.key } }
        : { selector: { case: "elementKeyInt", value: BigInt(s.index) } }),
  };
}

export function wireSchema(schema: Schema): object {
  return { version: BigInt(schema.version), block: wireBlock(schema.block) };
}

function description(d: { description: string; markdownDescription?: string }) {
  return d.markdownDescription
    ? { description: d.markdownDescription, descriptionKind: STRING_KIND.markdown }
    : { description: d.description, descriptionKind: STRING_KIND.plain };
}

function wireBlock(block: Block): object {
  return {
    version: 0n,
    ...description(block),
    deprecated: Boolean(block.deprecationMessage),
    attributes: Object.entries(block.attributes)
      .sort(([a], [b]) => a.localeCompare(b))
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
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([typeName, nb]) => ({
        typeName,
        block: wireBlock(nb.block),
        nesting: NESTING[nb.nesting],
        minItems: BigInt(nb.minItems ?? 0),
        maxItems: BigInt(nb.maxItems ?? 0),
      })),
  };
}

function schemaMap(m: ReadonlyMap<string, Schema>): Record<string, object> {
  return Object.fromEntries([...m].map(([k, v]) => [k, wireSchema(v)]));
}

/** The handlers both protocol versions share, keyed by what they do (each adapter maps its RPC names onto them). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sharedHandlers<S>(core: ProviderCore<S>): Record<string, (req: any) => Promise<object>> {
  return {
    async getProviderSchema() {
      const s = core.schemas();
      return {
        provider: wireSchema(s.provider),
        resourceSchemas: schemaMap(s.resources),
        dataSourceSchemas: schemaMap(s.dataSources),
        ephemeralResourceSchemas: schemaMap(s.ephemeralResources),
        // plan_destroy lets a resource veto a destroy at plan time (Terraform >= 1.3 asks for it).
        serverCapabilities: { planDestroy: true, getProviderSchemaOptional: false, moveResourceState: false },
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
    async validateProviderConfig(req) {
      return { diagnostics: wireDiagnostics(await core.validateProviderConfig(rawValue(req.config))) };
    },
    async validateResourceConfig(req) {
      const writeOnlyAllowed = Boolean(req.clientCapabilities?.writeOnlyAttributesAllowed);
      return { diagnostics: wireDiagnostics(await core.validateResourceConfig(req.typeName, rawValue(req.config), writeOnlyAllowed)) };
    },
    async validateDataSourceConfig(req) {
      return { diagnostics: wireDiagnostics(await core.validateDataSourceConfig(req.typeName, rawValue(req.config))) };
    },
    async validateEphemeralResourceConfig(req) {
      return { diagnostics: wireDiagnostics(await core.validateEphemeralResourceConfig(req.typeName, rawValue(req.config))) };
    },
    async configureProvider(req) {
      return { diagnostics: wireDiagnostics(await core.configure(req.terraformVersion, rawValue(req.config))) };
    },
    async upgradeResourceState(req) {
      const r = await core.upgradeResourceState(req.typeName, Number(req.version), {
        json: req.rawState?.json,
        flatmap: req.rawState?.flatmap,
      });
      return { upgradedState: dynamicValue(r.upgradedState), diagnostics: wireDiagnostics(r.diagnostics) };
    },
    async readResource(req) {
      const r = await core.readResource(req.typeName, rawValue(req.currentState), req.private ?? new Uint8Array());
      return { newState: dynamicValue(r.newState), private: r.private ?? new Uint8Array(), diagnostics: wireDiagnostics(r.diagnostics) };
    },
    async planResourceChange(req) {
      const r = await core.planResourceChange(req.typeName, rawValue(req.priorState), rawValue(req.proposedNewState),
        rawValue(req.config), req.priorPrivate ?? new Uint8Array());
      return {
        plannedState: dynamicValue(r.plannedState),
        requiresReplace: r.requiresReplace.map(wirePath),
        plannedPrivate: r.plannedPrivate ?? new Uint8Array(),
        diagnostics: wireDiagnostics(r.diagnostics),
      };
    },
    async applyResourceChange(req) {
      const r = await core.applyResourceChange(req.typeName, rawValue(req.priorState), rawValue(req.plannedState),
        rawValue(req.config), req.plannedPrivate ?? new Uint8Array());
      return { newState: dynamicValue(r.newState), private: r.private ?? new Uint8Array(), diagnostics: wireDiagnostics(r.diagnostics) };
    },
    async importResourceState(req) {
      const r = await core.importResourceState(req.typeName, req.id);
      return {
        importedResources: r.imported.map((i) => ({ typeName: i.typeName, state: { msgpack: i.state }, private: new Uint8Array() })),
        diagnostics: wireDiagnostics(r.diagnostics),
      };
    },
    async moveResourceState(req) {
      return {
        diagnostics: wireDiagnostics([{ severity: "error", summary: "Move not supported",
          detail: `The ${core.providerName} provider cannot move state from ${req.sourceTypeName} to ${req.targetTypeName}.` }]),
      };
    },
    async readDataSource(req) {
      const r = await core.readDataSource(req.typeName, rawValue(req.config));
      return { state: dynamicValue(r.state), diagnostics: wireDiagnostics(r.diagnostics) };
    },
    async getFunctions() {
      return { functions: {}, diagnostics: [] };
    },
    async callFunction(req) {
      return { error: { text: `The ${core.providerName} provider has no function "${req.name}".` } };
    },
    async openEphemeralResource(req) {
      const r = await core.openEphemeralResource(req.typeName, rawValue(req.config));
      return {
        result: dynamicValue(r.result),
        renewAt: r.renewAt ? timestampFromDate(r.renewAt) : undefined,
        private: r.private,
        diagnostics: wireDiagnostics(r.diagnostics),
      };
    },
    async renewEphemeralResource(req) {
      const r = await core.renewEphemeralResource(req.typeName, req.private);
      return { renewAt: r.renewAt ? timestampFromDate(r.renewAt) : undefined, private: r.private, diagnostics: wireDiagnostics(r.diagnostics) };
    },
    async closeEphemeralResource(req) {
      return { diagnostics: wireDiagnostics(await core.closeEphemeralResource(req.typeName, req.private)) };
    },
    async stopProvider() {
      return { Error: core.stop() };
    },
  };
}
