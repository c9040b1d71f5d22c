// The schema's attributes and nested blocks go out in code-unit order of their names: the same in every locale
// (localeCompare followed the process's locale, and its first call loaded ICU's collation data, a tenth of a
// launch's work up to its first answer).
import { ProviderCore } from "../../../provider/core/provider-core";
import type { ProviderDefinition } from "../../../provider/definition";
import { createLogger } from "../../../provider/logging/logger";
import { wireTranslation } from "../../../provider/protocol/wire-translation";
import type { Block } from "../../../schema/declaration";

const nested: Block = { description: "", attributes: { id: { type: "string", description: "", computed: true } } };
const block: Block = {
  description: "",
  attributes: Object.fromEntries(["a_1", "a", "a1"].map((name) => [name, { type: "string", description: "", optional: true }])),
  blocks: Object.fromEntries(["b_1", "b1", "b"].map((name) => [name, { nesting: "list", block: nested }])),
} as Block;

it("lists attributes and blocks in code-unit order of their names, whatever the locale", async () => {
  const def: ProviderDefinition<object> = {
    name: "fake", address: "registry.terraform.io/example/fake", secretShapes: [], version: "0.0.1",
    schema: { version: 0, block },
    configure: async () => ({ session: {} }),
    resources: [], dataSources: [], ephemeralResources: [],
  };
  const schema = await wireTranslation(new ProviderCore(def, createLogger({ level: "off" }))).getProviderSchema();
  // localeCompare put "a_1" before "a1" (ICU sorts punctuation before digits); code units put "1" (0x31) before "_" (0x5f).
  expect(schema.provider.block.attributes.map((a) => (a as { name: string }).name)).toEqual(["a", "a1", "a_1"]);
  expect(schema.provider.block.blockTypes.map((b) => b.typeName)).toEqual(["b", "b1", "b_1"]);
});
