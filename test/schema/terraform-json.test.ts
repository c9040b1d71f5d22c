import type { Schema } from "../../schema/declaration";
import { providersSchemaJson } from "../../schema/terraform-json";

const empty = new Map<string, Schema>();

function json(s: { provider: Schema; resources?: Map<string, Schema>; dataSources?: Map<string, Schema>; ephemeralResources?: Map<string, Schema> }) {
  return providersSchemaJson("registry.terraform.io/agynio/agyn", {
    provider: s.provider,
    resources: s.resources ?? empty,
    dataSources: s.dataSources ?? empty,
    ephemeralResources: s.ephemeralResources ?? empty,
  }) as { format_version: string; provider_schemas: Record<string, Record<string, unknown>> };
}
const provider = (s: Schema) => json({ provider: s }).provider_schemas["registry.terraform.io/agynio/agyn"].provider as Record<string, unknown>;

describe("providersSchemaJson", () => {
  it("wraps the schemas under the provider address with format_version 1.0; empty maps are omitted", () => {
    const out = json({ provider: { version: 0, block: { description: "", attributes: {} } } });
    expect(out).toEqual({
      format_version: "1.0",
      provider_schemas: {
        "registry.terraform.io/agynio/agyn": { provider: { version: 0, block: { description_kind: "plain" } } },
      },
    });
  });

  it("omits false flags; writes true ones; description_kind is always present", () => {
    const p = provider({
      version: 0,
      block: {
        description: "",
        attributes: {
          plain: { type: "string", description: "" },
          all: { type: "string", description: "d", required: true, optional: true, computed: true, sensitive: true, writeOnly: true, deprecationMessage: "old" },
          falsy: { type: "bool", description: "", required: false, optional: false, computed: false, sensitive: false, writeOnly: false, deprecationMessage: "" },
        },
      },
    });
    expect(p).toEqual({
      version: 0,
      block: {
        attributes: {
          all: {
            type: "string", description: "d", description_kind: "plain", deprecated: true,
            required: true, optional: true, computed: true, sensitive: true, write_only: true,
          },
          falsy: { type: "bool", description_kind: "plain" },
          plain: { type: "string", description_kind: "plain" },
        },
        description_kind: "plain",
      },
    });
  });

  it("a markdown description wins and is marked markdown; a plain one is marked plain", () => {
    const p = provider({
      version: 3,
      block: {
        description: "plain block",
        markdownDescription: "**md** block",
        deprecationMessage: "gone",
        attributes: {
          md: { type: "string", description: "plain text", markdownDescription: "`md` text", optional: true },
          pl: { type: "string", description: "plain text", optional: true },
        },
      },
    });
    const block = p.block as Record<string, Record<string, unknown>>;
    expect(p.version).toBe(3);
    expect(block.attributes.md).toEqual({ type: "string", description: "`md` text", description_kind: "markdown", optional: true });
    expect(block.attributes.pl).toEqual({ type: "string", description: "plain text", description_kind: "plain", optional: true });
    expect(block.description).toBe("**md** block");
    expect(block.description_kind).toBe("markdown");
    expect(block.deprecated).toBe(true);
  });

  it("keeps cty types in their JSON form", () => {
    const p = provider({
      version: 0,
      block: {
        description: "",
        attributes: {
          l: { type: ["list", "string"], description: "", optional: true },
          o: { type: ["object", { a: "number", b: ["map", "bool"] }], description: "", optional: true },
        },
      },
    });
    const s = JSON.stringify(p);
    expect(s).toContain('"l":{"type":["list","string"]');
    expect(s).toContain('"o":{"type":["object",{"a":"number","b":["map","bool"]}]');
  });

  it("writes object attribute types in name order at any depth, as Terraform does (cdktf get keeps that order)", () => {
    const p = provider({
      version: 0,
      block: {
        description: "",
        attributes: {
          tokens: {
            type: ["list", ["object", { z: "string", a: ["tuple", [["object", { y: "bool", b: "number" }]]], m: ["map", ["object", { d: "string", c: "string" }]] }]],
            description: "",
            computed: true,
          },
        },
      },
    });
    expect(JSON.stringify(p)).toContain(
      '"type":["list",["object",{"a":["tuple",[["object",{"b":"number","y":"bool"}]]],"m":["map",["object",{"c":"string","d":"string"}]],"z":"string"}]]',
    );
  });

  it("sorts attribute, block type and resource names", () => {
    const schema = (names: string[]): Schema => ({
      version: 0,
      block: {
        description: "",
        attributes: Object.fromEntries(names.map((n) => [n, { type: "string" as const, description: "" }])),
        blocks: Object.fromEntries(names.map((n) => [`b_${n}`, { nesting: "list" as const, block: { description: "", attributes: {} } }])),
      },
    });
    const out = json({
      provider: schema(["zeta", "alpha", "mid"]),
      resources: new Map([["agyn_z", schema([])], ["agyn_a", schema([])]]),
      dataSources: new Map([["agyn_user", schema([])]]),
      ephemeralResources: new Map([["agyn_e2", schema([])], ["agyn_e1", schema([])]]),
    });
    const p = out.provider_schemas["registry.terraform.io/agynio/agyn"];
    const block = (p.provider as { block: Record<string, object> }).block;
    expect(Object.keys(block.attributes)).toEqual(["alpha", "mid", "zeta"]);
    expect(Object.keys(block.block_types)).toEqual(["b_alpha", "b_mid", "b_zeta"]);
    expect(Object.keys(p.resource_schemas as object)).toEqual(["agyn_a", "agyn_z"]);
    expect(Object.keys(p.data_source_schemas as object)).toEqual(["agyn_user"]);
    expect(Object.keys(p.ephemeral_resource_schemas as object)).toEqual(["agyn_e1", "agyn_e2"]);
    expect(Object.keys(p)).toEqual(["provider", "resource_schemas", "data_source_schemas", "ephemeral_resource_schemas"]);
  });

  it("nested block types carry nesting_mode, their block and min/max only when set", () => {
    const p = provider({
      version: 0,
      block: {
        description: "",
        attributes: {},
        blocks: {
          one: { nesting: "single", block: { description: "single", attributes: { x: { type: "string", description: "", required: true } } } },
          many: {
            nesting: "list", minItems: 1, maxItems: 3,
            block: {
              description: "",
              attributes: {},
              blocks: { inner: { nesting: "set", block: { description: "", markdownDescription: "inner *md*", attributes: {} } } },
            },
          },
          grp: { nesting: "group", minItems: 0, maxItems: 0, block: { description: "", attributes: {} } },
          m: { nesting: "map", block: { description: "", attributes: {} } },
        },
      },
    });
    const types = (p.block as { block_types: Record<string, unknown> }).block_types;
    expect(types).toEqual({
      grp: { nesting_mode: "group", block: { description_kind: "plain" } },
      m: { nesting_mode: "map", block: { description_kind: "plain" } },
      many: {
        nesting_mode: "list",
        min_items: 1,
        max_items: 3,
        block: {
          block_types: { inner: { nesting_mode: "set", block: { description: "inner *md*", description_kind: "markdown" } } },
          description_kind: "plain",
        },
      },
      one: {
        nesting_mode: "single",
        block: { attributes: { x: { type: "string", description_kind: "plain", required: true } }, description: "single", description_kind: "plain" },
      },
    });
  });

  it("serialises the real provider's schema deterministically", async () => {
    const { providerSchema } = await import("../../resources/configuration/provider-schema");
    const { apiTokenSchema } = await import("../../resources/api-token/api-token-schema");
    const build = () => JSON.stringify(json({ provider: providerSchema, resources: new Map([["agyn_api_token", apiTokenSchema]]) }));
    expect(build()).toBe(build());
    const parsed = JSON.parse(build()) as ReturnType<typeof json>;
    const token = (parsed.provider_schemas["registry.terraform.io/agynio/agyn"].resource_schemas as Record<string, { block: { attributes: Record<string, Record<string, unknown>> } }>).agyn_api_token;
    expect(token.block.attributes.token).toMatchObject({ computed: true, sensitive: true });
    expect(token.block.attributes.token).not.toHaveProperty("optional");
    expect(token.block.attributes.description).toMatchObject({ required: true, description_kind: "markdown" });
  });
});
