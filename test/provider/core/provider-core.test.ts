import { decode, encode } from "@msgpack/msgpack";
import { API_TOKEN_SECRET_SHAPE, generateApiToken } from "../../../gateway/token-format";
import { decodeMsgpack, encodeMsgpack } from "../../../provider/codec/msgpack";
import { ProviderCore } from "../../../provider/core/provider-core";
import type { Diagnosed } from "../../../provider/core/requests";
import type { OperationContext, ProviderDefinition, ResourceDefinition } from "../../../provider/definition";
import { type Diagnostic, DiagnosticError, error, warning } from "../../../schema/diagnostics";
import { createLogger } from "../../../provider/logging/logger";
import { registerSecretPattern } from "../../../provider/logging/secret-redaction";
import { type CtyObject, Unknown, unknown } from "../../../schema/cty";
import { type Block, impliedType, type Schema } from "../../../schema/declaration";
import { requiresReplace } from "../../../schema/plan-modifiers";

interface Session {
  readonly label: string;
}

const thingBlock: Block = {
  description: "a thing",
  attributes: {
    id: { type: "string", description: "", computed: true },
    name: { type: "string", description: "", required: true },
    mode: { type: "string", description: "", optional: true, computed: true },
    secret: { type: "string", description: "", optional: true, writeOnly: true },
  },
};
const thingSchema: Schema = { version: 1, block: thingBlock };
const providerBlock: Block = { description: "", attributes: { endpoint: { type: "string", description: "", optional: true } } };

const thing = (v: Partial<Record<"id" | "name" | "mode" | "secret", CtyObject[string]>>): CtyObject =>
  ({ id: null, name: null, mode: null, secret: null, ...v });
const mp = (v: CtyObject | null, block: Block = thingBlock) => ({ msgpack: encodeMsgpack(v, impliedType(block)) });
const decodeThing = (bytes: Uint8Array | undefined) => decodeMsgpack(bytes!, impliedType(thingBlock));
const hex = (b: Uint8Array | undefined) => Buffer.from(b ?? []).toString("hex");
/** A value as Terraform itself encodes it: cty writes an object's attributes sorted by name (our encoder does not). */
const asTerraformSends = (v: CtyObject) => ({ msgpack: encode(Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))) });
const EMPTY = new Uint8Array();
const onlyDiagnostics = (r: Diagnosed) => r.diagnostics;

type Handlers = Partial<Pick<ResourceDefinition<Session>, "create" | "read" | "update" | "delete" | "modifyPlan" | "stateUpgraders" | "importState">>;

function makeCore(handlers: Handlers = {}, configure?: ProviderDefinition<Session>["configure"]) {
  const lines: string[] = [];
  const log = createLogger({ level: "trace", write: (l) => lines.push(l) });
  const contexts: OperationContext<Session>[] = [];
  const resource: ResourceDefinition<Session> = {
    typeName: "fake_thing",
    schema: thingSchema,
    create: handlers.create ?? (async ({ planned }) => ({ value: { ...planned, id: "id-1", mode: planned.mode instanceof Unknown ? "default" : planned.mode } })),
    read: handlers.read ?? (async ({ state }, ctx) => (contexts.push(ctx), ctx.session(), { value: state })),
    update: handlers.update ?? (async ({ planned }) => ({ value: planned })),
    delete: handlers.delete ?? (async () => ({})),
    ...(handlers.modifyPlan ? { modifyPlan: handlers.modifyPlan } : {}),
    ...(handlers.stateUpgraders ? { stateUpgraders: handlers.stateUpgraders } : {}),
    ...(handlers.importState ? { importState: handlers.importState } : {}),
  };
  const other: ResourceDefinition<Session> = {
    typeName: "fake_other",
    schema: { version: 0, block: { description: "", attributes: { id: { type: "string", description: "", computed: true } } } },
    create: async () => ({}),
    read: async () => ({}),
    update: async () => ({}),
    delete: async () => ({}),
  };
  const def: ProviderDefinition<Session> = {
    name: "fake",
    address: "registry.terraform.io/example/fake",
    secretShapes: [],
    version: "0.0.1",
    schema: { version: 0, block: providerBlock },
    configure: configure ?? (async ({ config }) => (config.endpoint === "bad"
      ? { diagnostics: [error("Bad endpoint", "configure refused", [{ attr: "endpoint" }])] }
      : { session: { label: String(config.endpoint) } })),
    resources: [resource, other],
    dataSources: [],
    ephemeralResources: [],
  };
  const core = new ProviderCore(def, log);
  return { core, lines, contexts };
}

async function configured(handlers: Handlers = {}) {
  const made = makeCore(handlers);
  expect(await made.core.configure({ terraformVersion: "1.9.0", config: mp({ endpoint: "ok" }, providerBlock) }).then(onlyDiagnostics)).toEqual([]);
  return made;
}

const errorsOf = (d: Diagnostic[]) => d.filter((x) => x.severity === "error");

beforeAll(() => {
  registerSecretPattern(API_TOKEN_SECRET_SHAPE);
});

describe("ProviderCore routing", () => {
  it("lists every schema by type name", () => {
    const s = makeCore().core.schemas();
    expect([...s.resources.keys()]).toEqual(["fake_thing", "fake_other"]);
    expect(s.resources.get("fake_thing")).toBe(thingSchema);
    expect(s.dataSources.size).toBe(0);
    expect(s.provider.block).toBe(providerBlock);
  });

  it("an unknown resource type is an error naming it and the known types", async () => {
    const { core } = await configured();
    const r = await core.readResource({ typeName: "fake_nope", currentState: mp(thing({ name: "n" })), private: EMPTY });
    expect(r.newState).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: "error", summary: "Unknown resource type" });
    expect(r.diagnostics[0].detail).toBe('The fake provider has no resource "fake_nope". Known: fake_thing, fake_other.');
  });

  it("an unknown data source / ephemeral type with none defined says Known: none", async () => {
    const { core } = await configured();
    const r = await core.readDataSource({ typeName: "fake_ds", config: mp(thing({})) });
    expect(r.diagnostics.map((d) => [d.summary, d.detail])).toEqual([
      ["Unknown data source type", 'The fake provider has no data source "fake_ds". Known: none.'],
    ]);
    const v = await core.validateEphemeralResourceConfig({ typeName: "fake_eph", config: mp(thing({})) }).then(onlyDiagnostics);
    expect(v.map((d) => d.summary)).toEqual(["Unknown ephemeral resource type"]);
  });

  it("import of a resource without importState: 'Import not supported' and no objects", async () => {
    const { core } = await configured();
    const r = await core.importResourceState({ typeName: "fake_thing", id: "x" });
    expect(r.imported).toEqual([]);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Import not supported"]);
  });
});

describe("ProviderCore error boundary", () => {
  it("an exception in read becomes 'Unexpected error in ReadResource' with no token in the detail or the log", async () => {
    const token = generateApiToken();
    const { core, lines } = await configured({ read: async () => { throw new Error(`boom ${token}`); } });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect(r.newState).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: "error", summary: "Unexpected error in ReadResource" });
    expect(r.diagnostics[0].detail).toContain("boom agyn_");
    expect(r.diagnostics[0].detail).toContain("[redacted]");
    expect(r.diagnostics[0].detail).not.toContain(token);
    expect(r.diagnostics[0].detail).not.toContain(token.slice(5));
    const logged = lines.join("");
    expect(logged).toContain("unexpected error");
    expect(logged).not.toContain(token.slice(5));
  });

  it("a thrown non-Error value is reported too", async () => {
    const { core } = await configured({ read: async () => { throw "plain string"; } });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect(r.diagnostics[0].summary).toBe("Unexpected error in ReadResource");
    expect(r.diagnostics[0].detail).toContain("plain string");
  });

  it("tokens in returned or thrown diagnostics are redacted", async () => {
    const token = generateApiToken();
    const { core } = await configured({
      read: async () => { throw new DiagnosticError(error(`bad ${token}`, `detail ${token}`)); },
      delete: async () => ({ diagnostics: [warning("w", `the token ${token}`)] }),
    });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect(JSON.stringify(r.diagnostics)).not.toContain(token.slice(5));
    expect(r.diagnostics[0].summary).toMatch(/^bad agyn_…\[redacted\]$/);
    const d = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(thing({ id: "id-1", name: "n" })), plannedState: mp(null), config: mp(null), plannedPrivate: EMPTY });
    expect(JSON.stringify(d.diagnostics)).not.toContain(token.slice(5));
  });

  it("malformed msgpack configuration is an 'Invalid … configuration' error", async () => {
    const { core } = await configured();
    const bad = { msgpack: Uint8Array.of(0xc1) };
    expect((await core.validateResourceConfig({ typeName: "fake_thing", config: bad, writeOnlyAllowed: true }).then(onlyDiagnostics)).map((d) => [d.severity, d.summary]))
      .toEqual([["error", "Invalid resource configuration"]]);
    expect((await core.validateProviderConfig({ config: bad }).then(onlyDiagnostics)).map((d) => d.summary)).toEqual(["Invalid provider configuration"]);
    expect((await core.configure({ terraformVersion: "1.9.0", config: bad }).then(onlyDiagnostics)).map((d) => d.summary)).toEqual(["Invalid provider configuration"]);
    const plan = await core.planResourceChange({ typeName: "fake_thing", priorState: mp(null), proposedNewState: mp(thing({ name: "n" })), config: bad, priorPrivate: EMPTY });
    expect(plan.plannedState).toBeUndefined();
    expect(plan.diagnostics.map((d) => d.summary)).toEqual(["Invalid configuration"]);
  });

  it("a value of the wrong type points at the attribute", async () => {
    const { core } = await configured();
    const wrong = { msgpack: encode({ id: null, name: 42, mode: null, secret: null }) };
    const d = await core.validateResourceConfig({ typeName: "fake_thing", config: wrong, writeOnlyAllowed: true }).then(onlyDiagnostics);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ summary: "Invalid resource configuration", path: [{ attr: "name" }] });
  });

  it("an attribute the schema does not have is an error", async () => {
    const { core } = await configured();
    const extra = { msgpack: encode({ id: null, name: "n", mode: null, secret: null, surprise: 1 }) };
    const d = await core.validateResourceConfig({ typeName: "fake_thing", config: extra, writeOnlyAllowed: true }).then(onlyDiagnostics);
    expect(d[0].summary).toBe("Invalid resource configuration");
    expect(d[0].detail).toContain('unsupported attribute "surprise"');
  });

  it("write-only attributes are refused when the client cannot handle them", async () => {
    const { core } = await configured();
    const cfg = mp(thing({ name: "n", secret: "s" }));
    expect(await core.validateResourceConfig({ typeName: "fake_thing", config: cfg, writeOnlyAllowed: true }).then(onlyDiagnostics)).toEqual([]);
    const d = await core.validateResourceConfig({ typeName: "fake_thing", config: cfg, writeOnlyAllowed: false }).then(onlyDiagnostics);
    expect(d.map((x) => [x.summary, x.path])).toEqual([["Write-only attribute not allowed", [{ attr: "secret" }]]]);
  });
});

describe("ProviderCore configuration", () => {
  it("operations before Configure: 'Provider not configured'", async () => {
    const { core } = makeCore();
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect(r.newState).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.severity, d.summary])).toEqual([["error", "Provider not configured"]]);
  });

  it("validation works without configuration", async () => {
    const { core } = makeCore();
    expect(await core.validateResourceConfig({ typeName: "fake_thing", config: mp(thing({ name: "n" })), writeOnlyAllowed: true }).then(onlyDiagnostics)).toEqual([]);
  });

  it("after a failed Configure, operations report why", async () => {
    const { core } = makeCore();
    const diags = await core.configure({ terraformVersion: "1.9.0", config: mp({ endpoint: "bad" }, providerBlock) }).then(onlyDiagnostics);
    expect(diags.map((d) => d.summary)).toEqual(["Bad endpoint"]);
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Bad endpoint"]);
  });

  it("a Configure that returns neither a session nor an error still leaves operations failing with an error", async () => {
    const { core } = makeCore({}, async () => ({ diagnostics: [warning("just a warning")] }));
    expect((await core.configure({ terraformVersion: "1.9.0", config: mp({ endpoint: "x" }, providerBlock) }).then(onlyDiagnostics)).map((d) => d.severity)).toEqual(["warning"]);
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    // Without an error, Terraform would take the missing new state as "the object is gone".
    expect(r.newState).toBeUndefined();
    expect(errorsOf(r.diagnostics).map((d) => d.summary)).toEqual(["Provider not configured"]);
  });

  it("the session reaches operations, and the provider config is decoded for Configure", async () => {
    let seen: Session | undefined;
    const { core } = makeCore({ read: async ({ state }, ctx) => ((seen = ctx.session()), { value: state }) });
    await core.configure({ terraformVersion: "1.9.0", config: mp({ endpoint: "https://x" }, providerBlock) }).then(onlyDiagnostics);
    await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect(seen).toEqual({ label: "https://x" });
  });

  it("Stop aborts the signal given to in-flight and later operations", async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const signals: AbortSignal[] = [];
    const { core } = await configured({
      read: async (_req, ctx) => {
        signals.push(ctx.signal);
        started();
        await new Promise<void>((resolve) => ctx.signal.addEventListener("abort", () => resolve(), { once: true }));
        return { diagnostics: [error("cancelled")] };
      },
    });
    const pending = core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    await running;
    expect(signals[0].aborted).toBe(false);
    expect(core.stop()).toBe("");
    const r = await pending;
    expect(signals[0].aborted).toBe(true);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["cancelled"]);
  });
});

describe("ProviderCore ReadResource", () => {
  it("returns the read value encoded with the schema", async () => {
    const { core } = await configured({ read: async ({ state }) => ({ value: { ...state, mode: "fresh" } }) });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n", mode: "old" })), private: Uint8Array.of(7) });
    expect(r.diagnostics).toEqual([]);
    expect(decodeThing(r.newState)).toEqual(thing({ id: "id-1", name: "n", mode: "fresh" }));
    expect([...r.private!]).toEqual([7]);
  });

  it("read returning null (object gone) answers msgpack nil c0", async () => {
    const { core } = await configured({ read: async () => ({ value: null }) });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect(hex(r.newState)).toBe("c0");
    expect(r.diagnostics).toEqual([]);
  });

  it("a null current state answers c0 without calling read", async () => {
    const read = jest.fn();
    const { core } = await configured({ read });
    expect(hex((await core.readResource({ typeName: "fake_thing", currentState: mp(null), private: EMPTY })).newState)).toBe("c0");
    expect(read).not.toHaveBeenCalled();
  });

  it("an error without a value keeps the current state", async () => {
    const { core } = await configured({ read: async () => ({ diagnostics: [error("Gateway unavailable")] }) });
    const state = thing({ id: "id-1", name: "n", mode: "m" });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(state), private: EMPTY });
    expect(decodeThing(r.newState)).toEqual(state);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Gateway unavailable"]);
  });

  it("unknown values after read are refused and the prior state kept", async () => {
    const { core } = await configured({ read: async ({ state }) => ({ value: { ...state, mode: unknown } }) });
    const state = thing({ id: "id-1", name: "n", mode: "m" });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(state), private: EMPTY });
    expect(decodeThing(r.newState)).toEqual(state);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Provider returned unknown values after read"]);
  });

  it("a read that changes nothing answers with the bytes Terraform sent; one that changes something, with the new value", async () => {
    const state = thing({ id: "id-1", name: "n", mode: "m" });
    const sent = asTerraformSends(state);
    expect(hex(sent.msgpack)).not.toBe(hex(mp(state).msgpack)); // the check below can tell the two apart
    const same = await (await configured({ read: async ({ state: s }) => ({ value: { ...s } }) })).core
      .readResource({ typeName: "fake_thing", currentState: sent, private: EMPTY });
    expect(hex(same.newState)).toBe(hex(sent.msgpack));
    const changed = await (await configured({ read: async ({ state: s }) => ({ value: { ...s, mode: "fresh" } }) })).core
      .readResource({ typeName: "fake_thing", currentState: sent, private: EMPTY });
    expect(decodeThing(changed.newState)).toEqual(thing({ id: "id-1", name: "n", mode: "fresh" }));
  });

  it("a read that returns the very state it was given, write-only value and all, still answers with that value nulled", async () => {
    const state = thing({ id: "id-1", name: "n", secret: "kept by an old Terraform" });
    const r = await (await configured({ read: async ({ state: s }) => ({ value: s }) })).core
      .readResource({ typeName: "fake_thing", currentState: asTerraformSends(state), private: EMPTY });
    expect((decodeThing(r.newState) as CtyObject).secret).toBeNull();
  });

  it("write-only values are nulled in what read returns", async () => {
    const { core } = await configured({ read: async ({ state }) => ({ value: { ...state, secret: "leak" } }) });
    const r = await core.readResource({ typeName: "fake_thing", currentState: mp(thing({ id: "id-1", name: "n" })), private: EMPTY });
    expect((decodeThing(r.newState) as CtyObject).secret).toBeNull();
  });
});

describe("ProviderCore PlanResourceChange", () => {
  it("create: computed values unknown, no replacement paths", async () => {
    const { core } = await configured();
    const config = thing({ name: "n" });
    const r = await core.planResourceChange({ typeName: "fake_thing", priorState: mp(null), proposedNewState: mp(config), config: mp(config), priorPrivate: EMPTY });
    expect(r.diagnostics).toEqual([]);
    expect(r.requiresReplace).toEqual([]);
    const planned = decodeThing(r.plannedState) as CtyObject;
    expect(planned.id).toBeInstanceOf(Unknown);
    expect(planned.mode).toBeInstanceOf(Unknown);
    expect(planned.name).toBe("n");
  });

  it("destroy: plans c0 and lets the resource veto with diagnostics", async () => {
    const modifyPlan = jest.fn(async () => ({ diagnostics: [error("Refusing")] }));
    const { core } = await configured({ modifyPlan });
    const prior = thing({ id: "id-1", name: "n" });
    const r = await core.planResourceChange({ typeName: "fake_thing", priorState: mp(prior), proposedNewState: mp(null), config: mp(null), priorPrivate: EMPTY });
    expect(hex(r.plannedState)).toBe("c0");
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Refusing"]);
    expect(modifyPlan).toHaveBeenCalledWith({ prior, config: null, planned: null }, expect.anything());
  });

  it("destroy: the plan keeps the prior private state, which is all the destroy's apply gets from Terraform", async () => {
    const remembered = new TextEncoder().encode('{"note":"for the delete"}');
    const seen: (Uint8Array | undefined)[] = [];
    const { core } = await configured({ delete: async ({ private: p }) => { seen.push(p); return {}; } });
    const prior = thing({ id: "id-1", name: "n" });
    const plan = await core.planResourceChange({ typeName: "fake_thing", priorState: mp(prior), proposedNewState: mp(null), config: mp(null), priorPrivate: remembered });
    expect(plan.plannedPrivate).toEqual(remembered);
    await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(prior), plannedState: mp(null), config: mp(null), plannedPrivate: plan.plannedPrivate! });
    expect(seen).toEqual([remembered]);
  });

  it("a delete that fails keeps the object in state with its private state", async () => {
    const remembered = Uint8Array.of(1, 2, 3);
    const { core } = await configured({ delete: async () => ({ diagnostics: [error("Gateway down")] }) });
    const prior = thing({ id: "id-1", name: "n" });
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(prior), plannedState: mp(null), config: mp(null), plannedPrivate: remembered });
    expect(decodeThing(r.newState)).toEqual(prior);
    expect(r.private).toEqual(remembered);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Gateway down"]);
  });

  it("a plan that changes nothing answers with the prior state's own bytes; a change is encoded", async () => {
    const prior = thing({ id: "id-1", name: "n", mode: "m" });
    const config = thing({ name: "n" });
    const request = { typeName: "fake_thing", priorState: asTerraformSends(prior), proposedNewState: asTerraformSends(prior),
      config: asTerraformSends(config), priorPrivate: EMPTY };
    const same = await (await configured()).core.planResourceChange(request);
    expect(same.diagnostics).toEqual([]);
    expect(hex(same.plannedState)).toBe(hex(request.priorState.msgpack));
    // The proposal is the prior state's bytes, but the resource's plan changes a computed value.
    const changed = await (await configured({ modifyPlan: async ({ planned }) => ({ planned: { ...planned!, mode: "next" } }) })).core
      .planResourceChange(request);
    expect(changed.diagnostics).toEqual([]);
    expect(decodeThing(changed.plannedState)).toEqual(thing({ id: "id-1", name: "n", mode: "next" }));
  });

  it("modifyPlan's replacement paths are returned once each; its plan is checked against the configuration", async () => {
    const { core } = await configured({
      modifyPlan: async ({ planned }) => ({ planned: { ...planned!, name: "renamed" }, requiresReplace: [[{ attr: "mode" }], [{ attr: "mode" }]] }),
    });
    const prior = thing({ id: "id-1", name: "n", mode: "m" });
    const config = thing({ name: "n" });
    const r = await core.planResourceChange({ typeName: "fake_thing", priorState: mp(prior), proposedNewState: mp(prior), config: mp(config), priorPrivate: EMPTY });
    expect(r.requiresReplace).toEqual([[{ attr: "mode" }]]);
    expect(r.diagnostics.map((d) => [d.summary, d.path])).toEqual([["Provider produced an inconsistent value", [{ attr: "name" }]]]);
  });
});

describe("ProviderCore ApplyResourceChange", () => {
  const planned = thing({ id: unknown, name: "n", mode: "fast" });
  const config = thing({ name: "n", mode: "fast" });

  it("create: the applied value is returned when it matches the plan", async () => {
    const { core } = await configured();
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(null), plannedState: mp(planned), config: mp(config), plannedPrivate: Uint8Array.of(1) });
    expect(r.diagnostics).toEqual([]);
    expect(decodeThing(r.newState)).toEqual(thing({ id: "id-1", name: "n", mode: "fast" }));
    expect([...r.private!]).toEqual([1]);
  });

  it("a different value for a known planned attribute: 'Provider produced an inconsistent value'", async () => {
    const { core } = await configured({ create: async ({ planned: p }) => ({ value: { ...p, id: "id-1", mode: "slow" } }) });
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(null), plannedState: mp(planned), config: mp(config), plannedPrivate: EMPTY });
    expect(r.diagnostics.map((d) => [d.severity, d.summary, d.path])).toEqual([
      ["error", "Provider produced an inconsistent value", [{ attr: "mode" }]],
    ]);
  });

  it("a failed apply that records a partial object is not also called inconsistent", async () => {
    const { core } = await configured({
      create: async ({ planned: p }) => ({ value: { ...p, id: "id-1", mode: "slow" }, diagnostics: [error("Half made", "the follow-up failed")] }),
    });
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(null), plannedState: mp(planned), config: mp(config), plannedPrivate: EMPTY });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Half made"]);
    expect(decodeThing(r.newState)).toEqual(thing({ id: "id-1", name: "n", mode: "slow" }));
  });

  it("unknown values left after apply are an error", async () => {
    const { core } = await configured({ create: async ({ planned: p }) => ({ value: { ...p } }) });
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(null), plannedState: mp(planned), config: mp(config), plannedPrivate: EMPTY });
    expect(r.diagnostics.map((d) => [d.severity, d.summary])).toEqual([["error", "Provider left values unknown after apply"]]);
  });

  it("a failed create (no value) answers null state; a failed update keeps the prior", async () => {
    const { core } = await configured({
      create: async () => ({ diagnostics: [error("create failed")] }),
      update: async () => ({ diagnostics: [error("update failed")] }),
    });
    const c = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(null), plannedState: mp(planned), config: mp(config), plannedPrivate: EMPTY });
    expect(hex(c.newState)).toBe("c0");
    expect(c.diagnostics.map((d) => d.summary)).toEqual(["create failed"]);
    const prior = thing({ id: "id-1", name: "n", mode: "slow" });
    const u = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(prior), plannedState: mp(thing({ id: "id-1", name: "n", mode: "fast" })), config: mp(config), plannedPrivate: EMPTY });
    expect(decodeThing(u.newState)).toEqual(prior);
  });

  it("destroy (planned null) calls delete with the prior and answers c0", async () => {
    const del = jest.fn(async () => ({}));
    const { core } = await configured({ delete: del });
    const prior = thing({ id: "id-1", name: "n", mode: "fast" });
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(prior), plannedState: mp(null), config: mp(null), plannedPrivate: EMPTY });
    expect(hex(r.newState)).toBe("c0");
    expect(r.diagnostics).toEqual([]);
    expect(del).toHaveBeenCalledTimes(1);
    expect(del.mock.calls[0]).toEqual([{ prior }, expect.anything()]);
  });

  it("a failed delete keeps the prior state", async () => {
    const { core } = await configured({ delete: async () => ({ diagnostics: [error("revoke failed")] }) });
    const prior = thing({ id: "id-1", name: "n", mode: "fast" });
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(prior), plannedState: mp(null), config: mp(null), plannedPrivate: EMPTY });
    expect(decodeThing(r.newState)).toEqual(prior);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["revoke failed"]);
  });

  it("a delete that only warns still removes the object", async () => {
    const { core } = await configured({ delete: async () => ({ diagnostics: [warning("already gone")] }) });
    const r = await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(thing({ id: "id-1", name: "n" })), plannedState: mp(null), config: mp(null), plannedPrivate: EMPTY });
    expect(hex(r.newState)).toBe("c0");
  });

  it("nothing to destroy (prior and planned null) answers c0 without calling delete", async () => {
    const del = jest.fn(async () => ({}));
    const { core } = await configured({ delete: del });
    expect(hex((await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(null), plannedState: mp(null), config: mp(null), plannedPrivate: EMPTY })).newState)).toBe("c0");
    expect(del).not.toHaveBeenCalled();
  });
});

describe("ProviderCore UpgradeResourceState", () => {
  const json = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));

  it("a state version newer than the schema is an error", async () => {
    const { core } = await configured();
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 2, rawState: { json: json({ id: "x" }) } });
    expect(r.upgradedState).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: "error", summary: "Resource state is from a newer provider" });
    expect(r.diagnostics[0].detail).toContain("schema version 2");
    expect(r.diagnostics[0].detail).toContain("up to 1");
  });

  it("JSON with missing keys (and keys the schema dropped) answers an object with every attribute", async () => {
    const { core } = await configured();
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 1, rawState: { json: json({ id: "x", name: "n", removed: true }) } });
    expect(r.diagnostics).toEqual([]);
    const raw = decode(r.upgradedState!) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(["id", "mode", "name", "secret"]);
    expect(raw).toEqual({ id: "x", name: "n", mode: null, secret: null });
  });

  it("write-only values in stored state are dropped", async () => {
    const { core } = await configured();
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 1, rawState: { json: json({ id: "x", name: "n", secret: "s" }) } });
    expect((decode(r.upgradedState!) as Record<string, unknown>).secret).toBeNull();
  });

  it("an older version is decoded with its own type and goes through its upgrader", async () => {
    // Version 0 called the name "label"; the current schema has no such attribute.
    const upgrade = jest.fn((s: CtyObject) => ({ value: { id: s.id, name: s.label, mode: "migrated", secret: null } }));
    const { core } = await configured({ stateUpgraders: { 0: { priorType: ["object", { id: "string", label: "string" }], upgrade } } });
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 0, rawState: { json: json({ id: "x", label: "n" }) } });
    expect(r.diagnostics).toEqual([]);
    expect(upgrade).toHaveBeenCalledWith({ id: "x", label: "n" });
    expect(decode(r.upgradedState!)).toEqual({ id: "x", name: "n", mode: "migrated", secret: null });
  });

  it("old state that does not fit the prior type is an 'Invalid stored state' diagnostic at its path", async () => {
    const upgrade = jest.fn();
    const { core } = await configured({ stateUpgraders: { 0: { priorType: ["object", { id: "string", tags: ["list", "string"] }], upgrade } } });
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 0, rawState: { json: json({ id: "x", tags: "not-a-list" }) } });
    expect(r.upgradedState).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.summary, d.path])).toEqual([["Invalid stored state", [{ attr: "tags" }]]]);
    expect(upgrade).not.toHaveBeenCalled();
  });

  it("an upgrader's diagnostics are reported, and its failure answers no state", async () => {
    const upgrade = () => ({ diagnostics: [error("Cannot read old state", "broken")] });
    const { core } = await configured({ stateUpgraders: { 0: { priorType: ["object", { id: "string" }], upgrade } } });
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 0, rawState: { json: json({ id: "x" }) } });
    expect(r.upgradedState).toBeUndefined();
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Cannot read old state"]);
  });

  it("an older version without an upgrade path is an error", async () => {
    const { core } = await configured();
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 0, rawState: { json: json({ id: "x" }) } });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Cannot upgrade resource state"]);
  });

  it("no raw state answers c0; legacy flatmap is refused", async () => {
    const { core } = await configured();
    expect(hex((await core.upgradeResourceState({ typeName: "fake_thing", version: 1, rawState: {} })).upgradedState)).toBe("c0");
    const f = await core.upgradeResourceState({ typeName: "fake_thing", version: 1, rawState: { flatmap: { id: "x" } } });
    expect(f.diagnostics.map((d) => d.summary)).toEqual(["Unsupported legacy state"]);
  });

  it("invalid JSON is an error, not a crash", async () => {
    const { core } = await configured();
    const r = await core.upgradeResourceState({ typeName: "fake_thing", version: 1, rawState: { json: new TextEncoder().encode("{not json") } });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0].severity).toBe("error");
  });
});

describe("ProviderCore: what a resource learns beyond its values", () => {
  const replacing: Block = {
    description: "",
    attributes: {
      id: { type: "string", description: "", computed: true },
      name: { type: "string", description: "", required: true, planModifiers: [requiresReplace()] },
    },
  };

  function coreWith(resource: Partial<ResourceDefinition<Session>>, block: Block = thingBlock) {
    const def: ProviderDefinition<Session> = {
      name: "fake", address: "registry.terraform.io/example/fake", secretShapes: [], version: "0.0.1",
      schema: { version: 0, block: providerBlock },
      configure: async () => ({ session: { label: "s" } }),
      resources: [{
        typeName: "fake_thing", schema: { version: 0, block },
        create: async () => ({}), read: async () => ({}), update: async () => ({}), delete: async () => ({}),
        ...resource,
      }],
      dataSources: [], ephemeralResources: [],
    };
    return new ProviderCore(def, createLogger({ level: "off" }));
  }

  it("modifyPlan is told which attributes already force a replacement, so it can refuse one at plan time", async () => {
    const modifyPlan = jest.fn(async (_req: { requiresReplace?: readonly unknown[] }) => ({ diagnostics: [error("Refusing to replace")] }));
    const core = coreWith({ modifyPlan }, replacing);
    await core.configure({ terraformVersion: "1.9.0", config: mp({ endpoint: null }, providerBlock) });
    const prior = { id: "id-1", name: "old" };
    const proposed = { id: "id-1", name: "new" };
    const r = await core.planResourceChange({
      typeName: "fake_thing", priorState: mp(prior, replacing), proposedNewState: mp(proposed, replacing), config: mp({ id: null, name: "new" }, replacing), priorPrivate: EMPTY,
    });
    expect(modifyPlan.mock.calls[0][0]).toMatchObject({ requiresReplace: [[{ attr: "name" }]] });
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Refusing to replace"]);
  });

  it("private state: what create returns is answered; read and delete receive what Terraform stored", async () => {
    const read = jest.fn(async ({ state }: { state: CtyObject }) => ({ value: state }));
    const del = jest.fn(async (_req: unknown, _ctx: unknown) => ({}));
    const core = coreWith({
      create: async ({ planned }) => ({ value: { ...planned, id: "id-1", mode: "m" }, private: Uint8Array.of(7, 7) }),
      read, delete: del,
    });
    await core.configure({ terraformVersion: "1.9.0", config: mp({ endpoint: null }, providerBlock) });
    const created = await core.applyResourceChange({
      typeName: "fake_thing", priorState: mp(null), plannedState: mp(thing({ id: unknown, name: "n", mode: unknown })),
      config: mp(thing({ name: "n" })), plannedPrivate: EMPTY,
    });
    expect([...created.private!]).toEqual([7, 7]);
    const state = thing({ id: "id-1", name: "n", mode: "m" });
    const refreshed = await core.readResource({ typeName: "fake_thing", currentState: mp(state), private: created.private! });
    expect(read.mock.calls[0][0]).toEqual({ state, private: Uint8Array.of(7, 7) });
    expect([...refreshed.private!]).toEqual([7, 7]);
    await core.applyResourceChange({ typeName: "fake_thing", priorState: mp(state), plannedState: mp(null), config: mp(null), plannedPrivate: created.private! });
    expect(del.mock.calls[0]).toEqual([{ prior: state, private: Uint8Array.of(7, 7) }, expect.anything()]);
  });
});
