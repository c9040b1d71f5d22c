// scripts/generate/docs.mjs renders Registry pages from `providers schema -json`, examples and notes. It is an
// ES module run by plain node (npm run generate), so these tests call it in a child node process.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const docsModule = pathToFileURL(join(__dirname, "../../scripts/generate/docs.mjs")).href;

type Files = Record<string, string>;

/** Runs renderDocs on a schema and an in-memory repository; returns the pages or the error message. */
function render(schema: object, files: Files = {}): { pages?: Record<string, string>; error?: string } {
  const script = `
    import { renderDocs } from ${JSON.stringify(docsModule)};
    const { schema, files } = JSON.parse(process.argv[1]);
    const repo = {
      read: (p) => files[p],
      list: (d) => [...new Set(Object.keys(files).filter((p) => p.startsWith(d + "/")).map((p) => p.slice(d.length + 1).split("/")[0]))].sort(),
    };
    try {
      process.stdout.write(JSON.stringify({ pages: Object.fromEntries(renderDocs({ address: "registry.terraform.io/agynio/agyn", schema }, repo)) }));
    } catch (e) {
      process.stdout.write(JSON.stringify({ error: e.message }));
    }`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify({ schema, files })], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { pages?: Record<string, string>; error?: string };
}

const block = (attributes: object, extra: object = {}) => ({ version: 0, block: { attributes, description_kind: "plain", ...extra } });
const provider = block({ gateway: { type: "string", optional: true, description: "Where.", description_kind: "plain" } }, {
  description: "The **agyn** provider. See [docs](https://example.com).",
  description_kind: "markdown",
});

describe("renderDocs", () => {
  it("makes a page for every type of every kind in the schema, ephemeral resources included", () => {
    const { pages } = render({
      provider,
      resource_schemas: { agyn_api_token: block({ id: { type: "string", computed: true } }) },
      data_source_schemas: { agyn_user: block({ id: { type: "string", computed: true } }), agyn_api_tokens: block({}) },
      ephemeral_resource_schemas: { agyn_api_token: block({ token: { type: "string", computed: true, sensitive: true } }) },
    }, { "examples/ephemeral-resources/agyn_api_token/ephemeral-resource.tf": 'ephemeral "agyn_api_token" "run" {}\n' });
    expect(Object.keys(pages!).sort()).toEqual([
      "data-sources/api_tokens.md", "data-sources/user.md", "ephemeral-resources/api_token.md", "index.md", "resources/api_token.md",
    ]);
    const ephemeral = pages!["ephemeral-resources/api_token.md"];
    expect(ephemeral).toContain('page_title: "agyn_api_token Ephemeral Resource - terraform-provider-agyn"');
    expect(ephemeral).toContain("# agyn_api_token (Ephemeral Resource)");
    expect(ephemeral).toContain('## Example Usage\n\n```terraform\nephemeral "agyn_api_token" "run" {}\n```');
    expect(ephemeral).toContain("- `token` (String, Sensitive)");
    expect(pages!["data-sources/user.md"]).toContain("# agyn_user (Data Source)");
  });

  it("lists arguments as Required, Optional (also when computed) and Read-Only, sorted, with their marks", () => {
    const { pages } = render({
      provider,
      resource_schemas: {
        agyn_thing: block({
          zeta: { type: "string", required: true, description: "Last but required.", description_kind: "markdown" },
          alpha: { type: "bool", optional: true, computed: true, description: "Optional and computed." },
          secret: { type: "string", optional: true, sensitive: true, write_only: true },
          old: { type: "number", optional: true, deprecated: true },
          tags: { type: ["map", "string"], optional: true },
          id: { type: "string", computed: true, description: "The id." },
          ids: { type: ["set", "string"], computed: true },
        }),
      },
    });
    const schema = pages!["resources/thing.md"].split("## Schema\n\n")[1];
    expect(schema).toBe([
      "### Required\n\n- `zeta` (String) Last but required.",
      "### Optional\n\n- `alpha` (Boolean) Optional and computed.\n- `old` (Number, Deprecated)\n- `secret` (String, Sensitive, Write-only)\n- `tags` (Map of String)",
      "### Read-Only\n\n- `id` (String) The id.\n- `ids` (Set of String)\n",
    ].join("\n\n"));
  });

  it("gives a list of objects and a nested block a nested schema section that the list links to", () => {
    const { pages } = render({
      provider,
      data_source_schemas: {
        agyn_api_tokens: block({
          tokens: { type: ["list", ["object", { id: "string", expired: "bool", owner: ["object", { name: "string" }] }]], computed: true, description: "The tokens." },
        }, {
          block_types: {
            filter: { nesting_mode: "list", min_items: 1, max_items: 3, block: { attributes: { prefix: { type: "string", required: true }, hits: { type: "number", computed: true } }, description: "A filter.", description_kind: "plain" } },
          },
        }),
      },
    });
    const page = pages!["data-sources/api_tokens.md"];
    expect(page).toContain("### Required\n\n- `filter` (Block List, Min: 1, Max: 3) A filter. (see [below for nested schema](#nestedblock--filter))");
    expect(page).toContain("### Read-Only\n\n- `tokens` (List of Object) The tokens. (see [below for nested schema](#nestedatt--tokens))");
    expect(page).toContain('<a id="nestedblock--filter"></a>\n### Nested Schema for `filter`\n\nRequired:\n\n- `prefix` (String)\n\nRead-Only:\n\n- `hits` (Number)');
    expect(page).toContain('<a id="nestedatt--tokens"></a>\n### Nested Schema for `tokens`\n\nRead-Only:\n\n- `expired` (Boolean)\n- `id` (String)\n- `owner` (Object) (see [below for nested schema](#nestedobjatt--tokens--owner))');
    expect(page).toContain('<a id="nestedobjatt--tokens--owner"></a>\n### Nested Schema for `tokens.owner`\n\nRead-Only:\n\n- `name` (String)');
  });

  it("puts the examples, then the notes, then the schema, then import with the import block and the command", () => {
    const { pages } = render({ provider, resource_schemas: { agyn_api_token: block({ id: { type: "string", computed: true } }) } }, {
      "examples/resources/agyn_api_token/resource.tf": 'resource "agyn_api_token" "a" {}\n',
      "examples/resources/agyn_api_token/resource-rotation.tf": 'resource "agyn_api_token" "b" {}\n',
      "examples/resources/agyn_api_token/import-by-string-id.tf": "import {}\n",
      "examples/resources/agyn_api_token/import.sh": "terraform import agyn_api_token.a ID\n",
      "templates/resources/api_token.md": "## The secret\n\nShown once.\n",
    });
    const page = pages!["resources/api_token.md"];
    const order = ['"a"', '"b"', "## The secret", "## Schema", "## Import", "import {}", "terraform import agyn_api_token.a ID"].map((s) => page.indexOf(s));
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(page).toContain("```shell\nterraform import agyn_api_token.a ID\n```");
    const bare = render({ provider, resource_schemas: { agyn_api_token: block({}) } }).pages!["resources/api_token.md"];
    expect(bare).not.toContain("## Import");
    expect(bare).not.toContain("## Example Usage");
  });

  it("writes the front matter with the description as plain text, and the provider page without subcategory", () => {
    const { pages } = render({ provider }, { "examples/provider/provider.tf": 'provider "agyn" {}\n', "templates/index.md": "## Precedence\n\nBlock, env, profile.\n" });
    const index = pages!["index.md"];
    expect(index.startsWith('---\n# generated by `npm run generate`')).toBe(true);
    expect(index).toContain('page_title: "agyn Provider"\ndescription: |-\n  The agyn provider. See docs.\n---');
    expect(index).not.toContain("subcategory");
    expect(index).toContain("# agyn Provider\n\nThe **agyn** provider. See [docs](https://example.com).");
    expect(index).toContain("## Precedence\n\nBlock, env, profile.");
    expect(index).toContain("### Optional\n\n- `gateway` (String) Where.");
  });

  it("is deterministic: the order of the schema's keys does not matter", () => {
    const a = { provider, resource_schemas: { agyn_b: block({ y: { type: "string", optional: true }, x: { type: "string", optional: true } }), agyn_a: block({}) } };
    const b = { resource_schemas: { agyn_a: block({}), agyn_b: block({ x: { type: "string", optional: true }, y: { type: "string", optional: true } }) }, provider };
    expect(JSON.stringify(render(a).pages)).toBe(JSON.stringify(render(b).pages));
  });

  it("refuses parts of the schema it cannot document, and examples or notes for types the schema lacks", () => {
    expect(render({ provider, functions: {} }).error).toMatch(/does not know these parts of the schema yet: functions/);
    expect(render({ provider }, { "examples/resources/agyn_gone/resource.tf": "" }).error).toMatch(/no resource in the schema for: examples\/resources\/agyn_gone/);
    expect(render({ provider }, { "templates/data-sources/gone.md": "" }).error).toMatch(/no data source in the schema for: templates\/data-sources\/gone.md/);
  });
});
