// Requests Terraform never sends (found by the protocol fuzz) are reported as invalid requests, never blamed
// on the provider as "Provider produced an inconsistent value … a bug in the provider".
import { encodeMsgpack } from "../../../provider/codec/msgpack";
import { ProviderCore } from "../../../provider/core/provider-core";
import type { DataSourceDefinition, ProviderDefinition, ResourceDefinition } from "../../../provider/definition";
import { createLogger } from "../../../provider/logging/logger";
import { type CtyObject, unknown } from "../../../schema/cty";
import { type Block, impliedType } from "../../../schema/declaration";

const block: Block = {
  description: "",
  attributes: {
    id: { type: "string", description: "", computed: true },
    name: { type: "string", description: "", required: true },
    mode: { type: "string", description: "", optional: true, computed: true },
  },
};
const mp = (v: CtyObject | null) => ({ msgpack: encodeMsgpack(v, impliedType(block)) });
const obj = (v: Partial<CtyObject>): CtyObject => ({ id: null, name: null, mode: null, ...v }) as CtyObject;

async function core() {
  const resource: ResourceDefinition<object> = {
    typeName: "fake_thing", schema: { version: 0, block },
    create: async ({ planned }) => ({ value: { ...planned, id: "1", mode: "m" } }),
    read: async ({ state }) => ({ value: state }), update: async ({ planned }) => ({ value: planned }), delete: async () => ({}),
  };
  const data: DataSourceDefinition<object> = { typeName: "fake_data", schema: { version: 0, block }, read: async ({ config }) => ({ value: { ...config, id: "1" } }) };
  const def: ProviderDefinition<object> = {
    name: "fake", address: "registry.terraform.io/example/fake", secretShapes: [], version: "0.0.1",
    schema: { version: 0, block: { description: "", attributes: {} } }, configure: async () => ({ session: {} }),
    resources: [resource], dataSources: [data], ephemeralResources: [],
  };
  const c = new ProviderCore(def, createLogger({ level: "off" }));
  await c.configure({ terraformVersion: "1.11.0", config: { msgpack: Uint8Array.of(0x80) } });
  return c;
}

const summaries = (r: { diagnostics: { summary: string }[] }) => r.diagnostics.map((d) => d.summary);

it("a proposed new state that contradicts the configuration", async () => {
  const r = await (await core()).planResourceChange({
    typeName: "fake_thing", priorState: mp(null), proposedNewState: mp(obj({ name: "other", id: unknown, mode: unknown })),
    config: mp(obj({ name: "n" })), priorPrivate: new Uint8Array(),
  });
  expect(summaries(r)).toEqual(["Invalid request"]);
  expect(r.diagnostics[0].path).toEqual([{ attr: "name" }]);
});

it("a configuration that sets a computed-only attribute", async () => {
  const r = await (await core()).planResourceChange({
    typeName: "fake_thing", priorState: mp(null), proposedNewState: mp(obj({ name: "n", id: "mine" })), config: mp(obj({ name: "n", id: "mine" })),
    priorPrivate: new Uint8Array(),
  });
  expect(summaries(r)).toEqual(["Invalid request"]);
});

it("a data source read with unknown configuration, or with a computed-only value in it", async () => {
  const c = await core();
  expect(summaries(await c.readDataSource({ typeName: "fake_data", config: mp(obj({ name: unknown })) }))).toEqual(["Invalid request"]);
  expect(summaries(await c.readDataSource({ typeName: "fake_data", config: mp(obj({ name: "n", id: "x" })) }))).toEqual(["Invalid request"]);
  expect(summaries(await c.readDataSource({ typeName: "fake_data", config: mp(obj({ name: "n" })) }))).toEqual([]);
});

it("state with unknown values, and an apply whose plan leaves an argument unknown", async () => {
  const c = await core();
  expect(summaries(await c.readResource({ typeName: "fake_thing", currentState: mp(obj({ id: "1", name: unknown })), private: new Uint8Array() })))
    .toEqual(["Invalid request"]);
  const r = await c.applyResourceChange({
    typeName: "fake_thing", priorState: mp(null), plannedState: mp(obj({ name: unknown, id: unknown, mode: unknown })), config: mp(null),
    plannedPrivate: new Uint8Array(),
  });
  expect(summaries(r)).toEqual(["Invalid request"]);
});

it("what Terraform does send passes untouched", async () => {
  const c = await core();
  const plan = await c.planResourceChange({
    typeName: "fake_thing", priorState: mp(null), proposedNewState: mp(obj({ name: "n", id: unknown, mode: unknown })), config: mp(obj({ name: "n" })),
    priorPrivate: new Uint8Array(),
  });
  expect(plan.diagnostics).toEqual([]);
  const prior = obj({ id: "1", name: "n", mode: "m" });
  const update = await c.planResourceChange({
    typeName: "fake_thing", priorState: mp(prior), proposedNewState: mp(prior), config: mp(obj({ name: "n" })), priorPrivate: new Uint8Array(),
  });
  expect(update.diagnostics).toEqual([]);
});
