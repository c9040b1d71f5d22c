// The checks the core makes of every answer before Terraform does, naming the broken attribute.
import { checkAppliedAgainstPlan, checkPlanAgainstConfig } from "../../../provider/core/consistency";
import { DecimalNumber, unknown } from "../../../schema/cty";
import type { Block } from "../../../schema/declaration";
import { block, obj } from "../../support/sample-block";

describe("checkPlanAgainstConfig", () => {
  it("no diagnostics when non-computed values equal the configuration", () => {
    const config = obj({ name: "n", note: "x" });
    expect(checkPlanAgainstConfig("test", block, null, config, { ...config, id: unknown, mode: unknown })).toEqual([]);
  });

  it("a required value that differs from the configuration is an error at its path", () => {
    const diags = checkPlanAgainstConfig("test", block, null, obj({ name: "n" }), obj({ name: "other", id: unknown, mode: unknown }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ severity: "error", summary: "Provider produced an inconsistent value", path: [{ attr: "name" }] });
    expect(diags[0].detail).toContain('"name"');
  });

  it("an optional, non-computed attribute may not be filled in when the configuration is null", () => {
    const diags = checkPlanAgainstConfig("test", block, null, obj({ name: "n" }), obj({ name: "n", note: "invented" }));
    expect(diags.map((d) => d.path)).toEqual([[{ attr: "note" }]]);
  });

  it("a planned value equal to the (non-null) prior is accepted although the configuration spells it differently", () => {
    const prior = obj({ name: "2024-01-01T00:00:00Z" });
    const config = obj({ name: "2024-01-01T00:00:00.000Z" });
    expect(checkPlanAgainstConfig("test", block, prior, config, obj({ name: "2024-01-01T00:00:00Z" }))).toEqual([]);
  });

  it("the prior escape does not apply when the prior value was null", () => {
    const prior = obj({ name: "n", note: null });
    expect(checkPlanAgainstConfig("test", block, prior, obj({ name: "n", note: "a" }), obj({ name: "n", note: null }))).toHaveLength(1);
  });

  it("the prior escape does not let a non-computed attribute keep a value the configuration removed (Terraform rejects it)", () => {
    // Terraform (objchange.assertPlannedValueValid) only accepts planned == prior when the config is not null.
    const prior = obj({ name: "n", note: "old" });
    const diags = checkPlanAgainstConfig("test", block, prior, obj({ name: "n", note: null }), obj({ name: "n", note: "old" }));
    expect(diags.map((d) => d.path)).toEqual([[{ attr: "note" }]]);
  });

  it("computed and optional+computed attributes with null configuration may be anything", () => {
    expect(checkPlanAgainstConfig("test", block, null, obj({ name: "n" }), obj({ name: "n", id: "x", mode: "y" }))).toEqual([]);
    expect(checkPlanAgainstConfig("test", block, null, obj({ name: "n" }), obj({ name: "n", id: unknown, mode: unknown }))).toEqual([]);
  });

  it("an optional+computed attribute the user configured must keep the configured value", () => {
    const diags = checkPlanAgainstConfig("test", block, null, obj({ name: "n", mode: "fast" }), obj({ name: "n", mode: "slow" }));
    expect(diags.map((d) => d.path)).toEqual([[{ attr: "mode" }]]);
  });

  it("an unknown configuration value must stay unknown in the plan", () => {
    expect(checkPlanAgainstConfig("test", block, null, obj({ name: unknown }), obj({ name: unknown }))).toEqual([]);
    expect(checkPlanAgainstConfig("test", block, null, obj({ name: unknown }), obj({ name: "guess" }))).toHaveLength(1);
  });

  it("numbers compare by value", () => {
    const b: Block = { description: "", attributes: { n: { type: "number", description: "", optional: true } } };
    expect(checkPlanAgainstConfig("test", b, null, { n: new DecimalNumber("0.10") }, { n: new DecimalNumber("0.1") })).toEqual([]);
    expect(checkPlanAgainstConfig("test", b, null, { n: 1 }, { n: 2 })).toHaveLength(1);
  });

  it("a planned write-only value is an error; a null one is fine", () => {
    expect(checkPlanAgainstConfig("test", block, null, obj({ name: "n", secret: "s" }), obj({ name: "n", secret: null }))).toEqual([]);
    const diags = checkPlanAgainstConfig("test", block, null, obj({ name: "n", secret: "s" }), obj({ name: "n", secret: "s" }));
    expect(diags).toHaveLength(1);
    expect(diags[0].path).toEqual([{ attr: "secret" }]);
    expect(diags[0].detail).toContain("write-only");
  });

  it("reports every offending attribute", () => {
    const diags = checkPlanAgainstConfig("test", block, null, obj({ name: "n", note: "a" }), obj({ name: "x", note: "b" }));
    expect(diags.map((d) => d.path)).toEqual([[{ attr: "name" }], [{ attr: "note" }]]);
  });
});

describe("checkAppliedAgainstPlan", () => {
  it("known planned values must come back equal", () => {
    expect(checkAppliedAgainstPlan("test", block, obj({ name: "n", id: unknown }), obj({ name: "n", id: "id-1" }))).toEqual([]);
    const diags = checkAppliedAgainstPlan("test", block, obj({ name: "n", mode: "fast" }), obj({ name: "n", mode: "slow" }));
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ severity: "error", summary: "Provider produced an inconsistent value", path: [{ attr: "mode" }] });
    expect(diags[0].detail).toContain("after apply");
  });

  it("unknown planned values may be filled with anything, including null", () => {
    expect(checkAppliedAgainstPlan("test", block, obj({ name: "n", id: unknown, mode: unknown }), obj({ name: "n", id: null, mode: "x" }))).toEqual([]);
  });

  it("a planned null must stay null, and a planned value must not become null", () => {
    expect(checkAppliedAgainstPlan("test", block, obj({ name: "n" }), obj({ name: "n", note: "x" })).map((d) => d.path)).toEqual([[{ attr: "note" }]]);
    expect(checkAppliedAgainstPlan("test", block, obj({ name: "n" }), obj({ name: null })).map((d) => d.path)).toEqual([[{ attr: "name" }]]);
  });

  it("a missing key in the applied object counts as null", () => {
    expect(checkAppliedAgainstPlan("test", block, obj({ name: "n" }), { name: "n" })).toEqual([]);
  });
});


describe("nested blocks", () => {
  const nested: Block = {
    description: "",
    attributes: {},
    blocks: {
      items: { nesting: "list", block: { description: "", attributes: { v: { type: "string", description: "", required: true }, cv: { type: "string", description: "", computed: true } } } },
      tags: { nesting: "set", block: { description: "", attributes: { t: { type: "string", description: "", required: true } } } },
    },
  };

  it("a planned nested value that differs from its configuration is named with its path", () => {
    const config = { items: [{ v: "a", cv: null }], tags: [] };
    const planned = { items: [{ v: "b", cv: unknown }], tags: [] };
    expect(checkPlanAgainstConfig("test", nested, null, config, planned).map((d) => d.path)).toEqual([[{ attr: "items" }, { index: 0 }, { attr: "v" }]]);
  });

  it("after apply, nested known values must come back; unknown ones may be anything", () => {
    const planned = { items: [{ v: "a", cv: unknown }], tags: [{ t: "x" }, { t: "y" }] };
    expect(checkAppliedAgainstPlan("test", nested, planned, { items: [{ v: "a", cv: "c1" }], tags: [{ t: "y" }, { t: "x" }] })).toEqual([]);
    const changed = checkAppliedAgainstPlan("test", nested, planned, { items: [{ v: "z", cv: "c1" }], tags: [{ t: "x" }] });
    expect(changed.map((d) => d.path)).toEqual([[{ attr: "tags" }], [{ attr: "items" }, { index: 0 }, { attr: "v" }]]);
  });

  it("a list of blocks that comes back longer or shorter is inconsistent", () => {
    const planned = { items: [{ v: "a", cv: unknown }], tags: [] };
    expect(checkAppliedAgainstPlan("test", nested, planned, { items: [], tags: [] }).map((d) => d.path)).toEqual([[{ attr: "items" }]]);
  });
});
