// The provider schema in exactly the shape of `terraform providers schema -json` (Terraform's jsonprovider
// package): false and empty values omitted, description_kind always present. Feeds cdktf bindings and docs.
import type { CtyType } from "./cty";
import type { Attribute, Block, NestedBlock, Schema } from "./declaration";

export interface ProviderSchemaSet {
  provider: Schema;
  resources: ReadonlyMap<string, Schema>;
  dataSources: ReadonlyMap<string, Schema>;
  ephemeralResources: ReadonlyMap<string, Schema>;
}

export function providersSchemaJson(address: string, s: ProviderSchemaSet): object {
  const provider: Record<string, unknown> = { provider: schemaJson(s.provider) };
  if (s.resources.size) provider.resource_schemas = mapJson(s.resources);
  if (s.dataSources.size) provider.data_source_schemas = mapJson(s.dataSources);
  if (s.ephemeralResources.size) provider.ephemeral_resource_schemas = mapJson(s.ephemeralResources);
  return { format_version: "1.0", provider_schemas: { [address]: provider } };
}

function mapJson(m: ReadonlyMap<string, Schema>): Record<string, unknown> {
  return Object.fromEntries([...m.keys()].sort().map((k) => [k, schemaJson(m.get(k)!)]));
}

function schemaJson(s: Schema): object {
  return { version: s.version, block: blockJson(s.block) };
}

function describe(d: { description: string; markdownDescription?: string }): Record<string, unknown> {
  const text = d.markdownDescription ?? d.description;
  return { ...(text ? { description: text } : {}), description_kind: d.markdownDescription ? "markdown" : "plain" };
}

function blockJson(b: Block): object {
  const out: Record<string, unknown> = {};
  const attrs = Object.keys(b.attributes).sort();
  if (attrs.length) out.attributes = Object.fromEntries(attrs.map((n) => [n, attributeJson(b.attributes[n])]));
  const blocks = Object.keys(b.blocks ?? {}).sort();
  if (blocks.length) out.block_types = Object.fromEntries(blocks.map((n) => [n, nestedJson(b.blocks![n])]));
  Object.assign(out, describe(b));
  if (b.deprecationMessage) out.deprecated = true;
  return out;
}

function attributeJson(a: Attribute): object {
  const out: Record<string, unknown> = { type: typeJson(a.type), ...describe(a) };
  if (a.deprecationMessage) out.deprecated = true;
  if (a.required) out.required = true;
  if (a.optional) out.optional = true;
  if (a.computed) out.computed = true;
  if (a.sensitive) out.sensitive = true;
  if (a.writeOnly) out.write_only = true;
  return out;
}

function nestedJson(nb: NestedBlock): object {
  const out: Record<string, unknown> = { nesting_mode: nb.nesting, block: blockJson(nb.block) };
  if (nb.minItems) out.min_items = nb.minItems;
  if (nb.maxItems) out.max_items = nb.maxItems;
  return out;
}

/** Object attribute types in name order, as Terraform prints them (generators such as `cdktf get` keep that order). */
function typeJson(t: CtyType): CtyType {
  if (typeof t === "string") return t;
  switch (t[0]) {
    case "object":
      return ["object", Object.fromEntries(Object.keys(t[1]).sort().map((k) => [k, typeJson(t[1][k])]))];
    case "tuple":
      return ["tuple", t[1].map(typeJson)];
    default:
      return [t[0], typeJson(t[1])];
  }
}
