// Renders one schema block (the `block` of `terraform providers schema -json`) as the Registry's usual
// argument and attribute reference: `## Schema` with Required / Optional / Read-Only lists, then a
// "Nested Schema for `x`" section (with an anchor the list links to) for every nested block or object.
// Pure function of its input: the same schema always gives the same text.

const GROUPS = [
  { key: "required", heading: "### Required", label: "Required:" },
  { key: "optional", heading: "### Optional", label: "Optional:" },
  { key: "readOnly", heading: "### Read-Only", label: "Read-Only:" },
];

/** `## Schema` and everything below it, for a provider, resource, data source or ephemeral resource block. */
export function schemaMarkdown(block) {
  const out = ["## Schema"];
  const nested = [];
  for (const g of GROUPS) {
    const lines = memberLines(block, [], g.key, nested);
    if (lines.length) out.push(g.heading, lines.join("\n"));
  }
  out.push(...nestedSections(nested));
  return out.join("\n\n") + "\n";
}

/** The type as the Registry spells it: String, Boolean, List of String, Map of Object, … */
export function typeName(type) {
  if (type === "string") return "String";
  if (type === "number") return "Number";
  if (type === "bool") return "Boolean";
  if (type === "dynamic") return "Dynamic";
  if (Array.isArray(type)) {
    const [kind, inner] = type;
    if (kind === "list") return `List of ${typeName(inner)}`;
    if (kind === "set") return `Set of ${typeName(inner)}`;
    if (kind === "map") return `Map of ${typeName(inner)}`;
    if (kind === "object") return "Object";
    if (kind === "tuple") return "Tuple";
  }
  throw new Error(`unknown attribute type ${JSON.stringify(type)}`);
}

function groupOfAttribute(a) {
  if (a.required) return "required";
  if (a.optional) return "optional";
  if (a.computed) return "readOnly";
  throw new Error("an attribute must be required, optional or computed");
}

function groupOfBlock(bt) {
  if ((bt.min_items ?? 0) > 0) return "required";
  return onlyComputed(bt.block) ? "readOnly" : "optional";
}

function onlyComputed(block) {
  const attrs = Object.values(block.attributes ?? {});
  const blocks = Object.values(block.block_types ?? {});
  return attrs.every((a) => a.computed && !a.optional) && blocks.every((b) => onlyComputed(b.block));
}

/** The "- `name` (Type, Flags) description" lines of one group, attributes and blocks sorted together. */
function memberLines(block, path, group, nested) {
  if (block.nested_type) throw new Error("nested attribute types (nested_type) are not supported by the docs generator yet");
  const members = [
    ...Object.entries(block.attributes ?? {}).map(([name, a]) => ({ name, attribute: a })),
    ...Object.entries(block.block_types ?? {}).map(([name, b]) => ({ name, blockType: b })),
  ].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  const lines = [];
  for (const m of members) {
    if (m.attribute?.nested_type) throw new Error(`attribute ${[...path, m.name].join(".")}: nested attribute types are not supported by the docs generator yet`);
    const inGroup = m.attribute ? groupOfAttribute(m.attribute) : groupOfBlock(m.blockType);
    if (inGroup !== group) continue;
    lines.push(m.attribute ? attributeLine([...path, m.name], m.attribute, group, nested) : blockLine([...path, m.name], m.blockType, nested));
  }
  return lines;
}

function attributeLine(path, a, group, nested) {
  const flags = [typeName(a.type)];
  if (a.sensitive) flags.push("Sensitive");
  if (a.deprecated) flags.push("Deprecated");
  if (a.write_only) flags.push("Write-only");
  let line = `- \`${last(path)}\` (${flags.join(", ")})${describe(a.description)}`;
  const object = objectTypeOf(a.type);
  if (object) {
    const anchor = `nestedatt--${path.join("--")}`;
    line += ` (see [below for nested schema](#${anchor}))`;
    nested.push({ anchor, path, object, group });
  }
  return line;
}

function blockLine(path, bt, nested) {
  const kind = { list: "Block List", set: "Block Set", map: "Block Map", single: "Block", group: "Block" }[bt.nesting_mode];
  if (!kind) throw new Error(`block ${path.join(".")}: unknown nesting mode ${bt.nesting_mode}`);
  const flags = [kind];
  if (bt.nesting_mode === "single" || bt.nesting_mode === "group") flags.push((bt.min_items ?? 0) > 0 ? "Required" : "Optional");
  if (bt.min_items && bt.nesting_mode !== "single" && bt.nesting_mode !== "group") flags.push(`Min: ${bt.min_items}`);
  if (bt.max_items && bt.nesting_mode !== "single" && bt.nesting_mode !== "group") flags.push(`Max: ${bt.max_items}`);
  if (bt.block.deprecated) flags.push("Deprecated");
  const anchor = `nestedblock--${path.join("--")}`;
  nested.push({ anchor, path, block: bt.block });
  return `- \`${last(path)}\` (${flags.join(", ")})${describe(bt.block.description)} (see [below for nested schema](#${anchor}))`;
}

/** The object type an attribute's value is, or is a collection of (what gets a nested schema section). */
function objectTypeOf(type) {
  if (!Array.isArray(type)) return undefined;
  if (type[0] === "object") return type[1];
  if (["list", "set", "map"].includes(type[0])) return objectTypeOf(type[1]);
  return undefined;
}

function nestedSections(queue) {
  const out = [];
  for (const item of queue) {
    const title = `<a id="${item.anchor}"></a>\n### Nested Schema for \`${item.path.join(".")}\``;
    const inner = [];
    const parts = [title];
    if (item.block) {
      for (const g of GROUPS) {
        const lines = memberLines(item.block, item.path, g.key, inner);
        if (lines.length) parts.push(g.label, lines.join("\n"));
      }
    } else {
      // Attributes of an object type have no flags or descriptions of their own: they share the parent's group.
      const label = GROUPS.find((g) => g.key === item.group).label;
      const lines = Object.keys(item.object).sort().map((name) => {
        const path = [...item.path, name];
        let line = `- \`${name}\` (${typeName(item.object[name])})`;
        const object = objectTypeOf(item.object[name]);
        if (object) {
          const anchor = `nestedobjatt--${path.join("--")}`;
          line += ` (see [below for nested schema](#${anchor}))`;
          inner.push({ anchor, path, object, group: item.group });
        }
        return line;
      });
      parts.push(label, lines.join("\n"));
    }
    out.push(parts.join("\n\n"), ...nestedSections(inner));
  }
  return out;
}

/** " description" with continuation lines indented so a multi-paragraph text stays inside its list item. */
function describe(text) {
  const t = (text ?? "").trim();
  return t ? ` ${t.replace(/\n/g, "\n  ").replace(/\n  \n/g, "\n\n")}` : "";
}

function last(path) {
  return path[path.length - 1];
}
