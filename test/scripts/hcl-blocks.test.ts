// How the HCL check (test/acceptance/hcl-blocks.test.ts) finds blocks and decides how to check each one.
import { fencedBlocks, topLevelItems } from "../support/hcl-blocks";
import { prepareUnit } from "../support/hcl-validation";

describe("fencedBlocks", () => {
  it("finds fenced blocks with their language and line, also indented in a list item and with longer fences", () => {
    const md = [
      "# Title", // 1
      "```hcl", // 2
      'data "agyn_user" "me" {}', // 3
      "```", // 4
      "- item", // 5
      "  ```terraform", // 6
      '  resource "x" "y" {', // 7
      "  }", // 8
      "  ```", // 9
      "````sh", // 10
      "```hcl", // 11: inside a longer fence, not a block of its own
      "````", // 12
      "~~~ tf", // 13
      "a = 1", // 14
      "~~~", // 15
    ].join("\n");
    expect(fencedBlocks(md)).toEqual([
      { language: "hcl", line: 2, text: 'data "agyn_user" "me" {}' },
      { language: "terraform", line: 6, text: 'resource "x" "y" {\n}' },
      { language: "sh", line: 10, text: "```hcl" },
      { language: "tf", line: 13, text: "a = 1" },
    ]);
  });
});

describe("topLevelItems", () => {
  it("reads blocks with labels and top-level attributes, skipping strings, templates, heredocs and comments", () => {
    const text = `
# a comment with { braces
plugin_cache_dir = "$HOME/.terraform.d/plugin-cache" // trailing
resource "agyn_api_token" "t" {
  description = "a } in a string \\" and \${join(", ", [for x in ["}"] : "\${x}"])}"
  /* block comment } */
  lifecycle {
    replace_triggered_by = [
      time_rotating.r,
    ]
  }
}
locals {
  text = <<-EOT
    a } brace in a heredoc
    EOT
}
check "c" { assert { condition = true
error_message = "x" } }
`;
    expect(topLevelItems(text)?.map((i) => [i.kind, i.name, ...i.labels])).toEqual([
      ["attribute", "plugin_cache_dir"],
      ["block", "resource", "agyn_api_token", "t"],
      ["block", "locals"],
      ["block", "check", "c"],
    ]);
  });

  it("gives up on text it cannot read, leaving the diagnosis to terraform", () => {
    expect(topLevelItems('resource "x" "y" {\n  a = "unterminated\n}\n')).toBeUndefined();
    expect(topLevelItems('resource "x" "y" }\n')).toBeUndefined();
  });
});

describe("prepareUnit", () => {
  const prepare = (text: string) => prepareUnit({ sources: ["t"], text }, "u");

  it("recognises a CLI configuration by its top-level settings", () => {
    expect(prepare('provider_installation {\n  direct {}\n}\nplugin_cache_dir = "/tmp"\n').kind).toBe("cli-config");
    expect(prepare('provider_installation {\n  direct {}\n}\nresource "a" "b" {}\n').kind).toBe("fragment");
  });

  it("validates a complete configuration as written, except for reading through each provider block", () => {
    const u = prepare('terraform {}\nvariable "a" {}\nprovider "agyn" {\n  token = var.b\n}\n');
    expect(u.kind).toBe("complete");
    expect(u.files["harness.tf"]).toBe('\ndata "agyn_user" "check_provider_1" {\n  provider = agyn\n}\n');
    expect(u.variables).toEqual(["a"]);
  });

  it("supplies a fragment's agyn requirement and the variables it uses without declaring", () => {
    const u = prepare('variable "a" {}\nresource "agyn_api_token" "t" {\n  description = "${var.a}-${var.b}"\n}\nprovider "agyn" {\n  alias = "svc"\n}\n');
    expect(u.kind).toBe("fragment");
    expect(u.files["harness.tf"]).toContain('agyn = { source = "agynio/agyn" }');
    expect(u.files["harness.tf"]).toContain('variable "b" {}');
    expect(u.files["harness.tf"]).not.toContain('variable "a"');
    expect(u.files["harness.tf"]).toContain("provider = agyn.svc");
    expect(u.variables).toEqual(["a", "b"]);
  });

  it("keeps a block with an import block out of the shared root", () => {
    expect(prepare("import {\n  to = a.b\n  id = \"x\"\n}\n").rootOnly).toBe(true);
    expect(prepare('resource "a" "b" {}\n').rootOnly).toBe(false);
  });
});
