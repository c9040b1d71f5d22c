// Attribute validators and deprecations, at the top and in nested blocks; unknown values wait until known.
import { errorsOnceKnown, validateBlockValues } from "../../../provider/core/validation";
import { unknown } from "../../../schema/cty";
import type { Block } from "../../../schema/declaration";
import { check } from "../../../schema/validators";

const notX = check("not x", (v) => (v === "x" ? "x is not allowed" : undefined));
const block: Block = {
  description: "",
  attributes: {
    top: { type: "string", description: "", optional: true, validators: [notX] },
    old: { type: "string", description: "", optional: true, deprecationMessage: "use top" },
  },
  blocks: {
    one: { nesting: "single", block: { description: "", attributes: { v: { type: "string", description: "", optional: true, validators: [notX] } } } },
    many: { nesting: "list", block: { description: "", attributes: { v: { type: "string", description: "", optional: true, validators: [notX] } } } },
    byKey: { nesting: "map", block: { description: "", attributes: { v: { type: "string", description: "", optional: true, validators: [notX] } } } },
    bag: { nesting: "set", block: { description: "", attributes: { v: { type: "string", description: "", optional: true, validators: [notX] } } } },
  },
};
const config = (over: Record<string, unknown>) => ({ top: null, old: null, one: null, many: [], byKey: {}, bag: [], ...over }) as never;

describe("validateBlockValues", () => {
  it("checks nested blocks too, each problem at its own path (set elements at the set)", () => {
    const diags = validateBlockValues(block, config({
      top: "x", one: { v: "x" }, many: [{ v: "ok" }, { v: "x" }], byKey: { k: { v: "x" } }, bag: [{ v: "x" }],
    }));
    expect(diags.map((d) => d.path)).toEqual([
      [{ attr: "top" }],
      [{ attr: "one" }, { attr: "v" }],
      [{ attr: "many" }, { index: 1 }, { attr: "v" }],
      [{ attr: "byKey" }, { key: "k" }, { attr: "v" }],
      [{ attr: "bag" }, { attr: "v" }],
    ]);
  });

  it("skips unknown values and warns about deprecated arguments", () => {
    const diags = validateBlockValues(block, config({ top: unknown, old: "y", many: [{ v: unknown }] }));
    expect(diags.map((d) => [d.severity, d.summary])).toEqual([["warning", 'Argument "old" is deprecated']]);
  });
});

describe("errorsOnceKnown", () => {
  it("keeps the errors of attribute validators and the definition's own check, drops warnings", () => {
    const own = () => [{ severity: "error" as const, summary: "own" }, { severity: "warning" as const, summary: "meh" }];
    const diags = errorsOnceKnown(block, config({ top: "x", old: "y" }), own);
    expect(diags.map((d) => d.summary)).toEqual(["Invalid value", "own"]);
  });
});
