// GetSchema (v5) / GetProviderSchema (v6) over the wire, and `terraform-provider-agyn schema` agreeing with it.
import { killAllProviders, launchProvider, runProviderToExit, type Decoded, type LaunchedProvider } from "../support/plugin-process";
import { EPHEMERAL_TOKEN_ATTRIBUTES, PROVIDER_ATTRIBUTES, rpcNames, USER_ATTRIBUTES, USER_LOOKUP_ATTRIBUTES } from "./wire-helpers";

afterAll(killAllProviders);

/** cty's type JSON grammar (cty/json.go); Terraform panics on anything else. */
function isCtyType(t: unknown): boolean {
  if (typeof t === "string") return ["string", "number", "bool", "dynamic"].includes(t);
  if (!Array.isArray(t)) return false;
  const [kind, inner, ...rest] = t as unknown[];
  switch (kind) {
    case "list":
    case "set":
    case "map":
      return t.length === 2 && isCtyType(inner);
    case "object":
      return (t.length === 2 || t.length === 3) && typeof inner === "object" && inner !== null && !Array.isArray(inner) &&
        Object.values(inner).every(isCtyType) && (rest.length === 0 || Array.isArray(rest[0]));
    case "tuple":
      return t.length === 2 && Array.isArray(inner) && inner.every(isCtyType);
    default:
      return false;
  }
}

interface WireAttribute {
  name: string;
  type: Uint8Array;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
}

const attributesOf = (schema: Decoded): Record<string, WireAttribute> =>
  Object.fromEntries((schema.block.attributes as WireAttribute[]).map((a) => [a.name, a]));

const typeOf = (a: WireAttribute): unknown => JSON.parse(Buffer.from(a.type).toString("utf8"));

/** Every attribute type in a block tree, with where it was found. */
function allTypes(block: Decoded, at: string, out: { at: string; bytes: Uint8Array }[] = []) {
  for (const a of block.attributes as WireAttribute[]) out.push({ at: `${at}.${a.name}`, bytes: a.type });
  for (const nb of block.blockTypes as { typeName: string; block: Decoded }[]) allTypes(nb.block, `${at}.${nb.typeName}`, out);
  return out;
}

describe.each([5, 6])("schema over protocol %i", (version) => {
  let p: LaunchedProvider;
  let schema: Decoded;
  beforeAll(async () => {
    p = await launchProvider({ offeredVersions: String(version) });
    expect(p.version).toBe(version);
    schema = await p.call(rpcNames(version).schema);
  });
  afterAll(() => p?.kill());

  it("has no diagnostics and advertises plan_destroy and get_provider_schema_optional", () => {
    expect(schema.diagnostics).toEqual([]);
    expect(schema.serverCapabilities?.planDestroy).toBe(true);
    expect(schema.serverCapabilities?.getProviderSchemaOptional).toBe(true);
  });

  it("declares the provider block: every setting optional, only the tokens sensitive", () => {
    expect(schema.provider?.block).toBeDefined();
    const attrs = attributesOf(schema.provider);
    expect(Object.keys(attrs).sort()).toEqual([...PROVIDER_ATTRIBUTES].sort());
    for (const a of Object.values(attrs)) {
      expect({ name: a.name, optional: a.optional, required: a.required, computed: a.computed }).toEqual({
        name: a.name, optional: true, required: false, computed: false,
      });
      expect({ name: a.name, sensitive: a.sensitive }).toEqual({ name: a.name, sensitive: a.name === "token" || a.name === "api_token" });
      // max_retries (issue 10) is the one number.
      const type = a.name === "allow_insecure_http" ? "bool" : a.name === "max_retries" ? "number" : "string";
      expect({ name: a.name, type: typeOf(a) }).toEqual({ name: a.name, type });
    }
  });

  it("declares data agyn_user with string attributes, the lookup arguments optional, the rest computed only", () => {
    expect(Object.keys(schema.dataSourceSchemas)).toContain("agyn_user");
    const attrs = attributesOf(schema.dataSourceSchemas.agyn_user);
    expect(Object.keys(attrs).sort()).toEqual([...USER_ATTRIBUTES].sort());
    const lookup: readonly string[] = USER_LOOKUP_ATTRIBUTES;
    for (const a of Object.values(attrs)) {
      expect({ name: a.name, computed: a.computed, optional: a.optional, required: a.required, sensitive: a.sensitive, type: typeOf(a) })
        .toEqual({ name: a.name, computed: true, optional: lookup.includes(a.name), required: false, sensitive: false, type: "string" });
    }
  });

  it("declares ephemeral agyn_api_token: the managed token's arguments, the secret computed and sensitive", () => {
    expect(Object.keys(schema.ephemeralResourceSchemas)).toEqual(["agyn_api_token"]);
    const attrs = attributesOf(schema.ephemeralResourceSchemas.agyn_api_token);
    expect(Object.keys(attrs).sort()).toEqual([...EPHEMERAL_TOKEN_ATTRIBUTES].sort());
    const flags = (a: WireAttribute) => ({ required: a.required, optional: a.optional, computed: a.computed, sensitive: a.sensitive, type: typeOf(a) });
    const computedOnly = { required: false, optional: false, computed: true, sensitive: false, type: "string" };
    expect(Object.fromEntries(Object.entries(attrs).map(([n, a]) => [n, flags(a)]))).toEqual({
      description: { required: true, optional: false, computed: false, sensitive: false, type: "string" },
      expires_in: { required: false, optional: true, computed: false, sensitive: false, type: "string" },
      expires_at: { required: false, optional: true, computed: true, sensitive: false, type: "string" },
      token: { ...computedOnly, sensitive: true },
      id: computedOnly,
      token_prefix: computedOnly,
      identity_id: computedOnly,
      created_at: computedOnly,
    });
    // The same arguments as the managed token.
    const managed = attributesOf(schema.resourceSchemas.agyn_api_token);
    for (const name of ["description", "expires_in", "expires_at"]) expect({ name, type: typeOf(managed[name]) }).toEqual({ name, type: typeOf(attrs[name]) });
  });

  it("sends every attribute type as valid cty type JSON (Terraform panics otherwise)", () => {
    const types = [
      ...allTypes(schema.provider.block, "provider"),
      ...Object.entries(schema.resourceSchemas as Record<string, Decoded>).flatMap(([n, s]) => allTypes(s.block, n)),
      ...Object.entries(schema.dataSourceSchemas as Record<string, Decoded>).flatMap(([n, s]) => allTypes(s.block, `data.${n}`)),
      ...Object.entries(schema.ephemeralResourceSchemas as Record<string, Decoded>).flatMap(([n, s]) => allTypes(s.block, `ephemeral.${n}`)),
    ];
    expect(types.length).toBeGreaterThanOrEqual(PROVIDER_ATTRIBUTES.length + USER_ATTRIBUTES.length);
    for (const { at, bytes } of types) {
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(Buffer.from(bytes).toString("utf8")))).not.toThrow();
      expect({ at, valid: isCtyType(parsed) }).toEqual({ at, valid: true });
    }
  });

  it("gives every resource schema a block (the resource map may be empty)", () => {
    expect(typeof schema.resourceSchemas).toBe("object");
    for (const [name, s] of Object.entries(schema.resourceSchemas as Record<string, Decoded>)) {
      expect({ name, block: Boolean(s.block) }).toEqual({ name, block: true });
    }
  });
});

describe("terraform-provider-agyn schema", () => {
  let printed: Decoded;
  let wire: Decoded;
  beforeAll(async () => {
    const r = await runProviderToExit(["schema"], { TF_PLUGIN_MAGIC_COOKIE: undefined });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toHaveLength(1);
    printed = JSON.parse(r.stdout);
    const p = await launchProvider();
    wire = await p.call("GetProviderSchema");
    await p.kill();
  });

  const jsonProvider = () => printed.provider_schemas["registry.terraform.io/agynio/agyn"];

  it("prints the shape of `terraform providers schema -json` for registry.terraform.io/agynio/agyn", () => {
    expect(printed.format_version).toBe("1.0");
    expect(Object.keys(printed.provider_schemas)).toEqual(["registry.terraform.io/agynio/agyn"]);
    expect(jsonProvider().provider.block).toBeDefined();
  });

  /** The JSON form of one attribute, from its wire form (false flags omitted, as Terraform prints them). */
  const expected = (a: WireAttribute) => ({
    type: typeOf(a),
    ...(a.required ? { required: true } : {}),
    ...(a.optional ? { optional: true } : {}),
    ...(a.computed ? { computed: true } : {}),
    ...(a.sensitive ? { sensitive: true } : {}),
  });
  const printedFlags = (a: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(a).filter(([k]) => ["type", "required", "optional", "computed", "sensitive"].includes(k)));

  function sameAttributes(json: Decoded, wireSchema: Decoded) {
    const wireAttrs = attributesOf(wireSchema);
    expect(Object.keys(json.block.attributes).sort()).toEqual(Object.keys(wireAttrs).sort());
    for (const [name, a] of Object.entries(wireAttrs)) {
      expect({ name, ...printedFlags(json.block.attributes[name]) }).toEqual({ name, ...expected(a) });
    }
  }

  it("has the same provider attributes as GetProviderSchema", () => {
    sameAttributes(jsonProvider().provider, wire.provider);
  });

  it("has the same data sources and resources, with the same attributes", () => {
    expect(Object.keys(jsonProvider().data_source_schemas ?? {}).sort()).toEqual(Object.keys(wire.dataSourceSchemas).sort());
    for (const [name, s] of Object.entries(wire.dataSourceSchemas as Record<string, Decoded>)) {
      sameAttributes(jsonProvider().data_source_schemas[name], s);
    }
    expect(Object.keys(jsonProvider().resource_schemas ?? {}).sort()).toEqual(Object.keys(wire.resourceSchemas).sort());
    for (const [name, s] of Object.entries(wire.resourceSchemas as Record<string, Decoded>)) {
      sameAttributes(jsonProvider().resource_schemas[name], s);
    }
  });

  it("has the same ephemeral resources, with the same attributes", () => {
    expect(Object.keys(jsonProvider().ephemeral_resource_schemas ?? {})).toEqual(["agyn_api_token"]);
    expect(Object.keys(wire.ephemeralResourceSchemas)).toEqual(["agyn_api_token"]);
    sameAttributes(jsonProvider().ephemeral_resource_schemas.agyn_api_token, wire.ephemeralResourceSchemas.agyn_api_token);
  });
});
