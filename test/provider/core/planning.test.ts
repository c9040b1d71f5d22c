import { planWithSchema, structuredCloneValue } from "../../../provider/core/planning";
import { error } from "../../../schema/diagnostics";
import { type CtyObject, DecimalNumber, Unknown, unknown } from "../../../schema/cty";
import type { AttributePlanRequest, Block, PlanModifier } from "../../../schema/declaration";
import { requiresReplace, useStateForUnknown } from "../../../schema/plan-modifiers";

import { block, obj } from "../../support/sample-block";

describe("planWithSchema", () => {
  it("create: computed attributes the configuration leaves null become unknown; configured ones keep their value", () => {
    const config = obj({ name: "n", mode: "fast" });
    const { planned, requiresReplace: rr, diagnostics } = planWithSchema(block, null, config, config);
    expect(planned.id).toBeInstanceOf(Unknown);
    expect(planned.mode).toBe("fast");
    expect(planned.name).toBe("n");
    expect(planned.note).toBeNull();
    expect(rr).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it("create: an optional+computed attribute left null becomes unknown", () => {
    const config = obj({ name: "n" });
    expect(planWithSchema(block, null, config, config).planned.mode).toBeInstanceOf(Unknown);
  });

  it("no change: the prior state is the plan, exactly (no computed value turns unknown)", () => {
    const prior = obj({ name: "n", id: "id-1", mode: "slow" });
    const config = obj({ name: "n" });
    const proposed = obj({ name: "n", id: "id-1", mode: "slow" });
    const result = planWithSchema(block, prior, proposed, config);
    expect(result.planned).toEqual(prior);
    expect(result.requiresReplace).toEqual([]);
    expect(result.diagnostics).toEqual([]);
  });

  it("no change by value although spelled differently (1.50 vs 1.5): nothing becomes unknown", () => {
    const numBlock: Block = {
      description: "",
      attributes: { n: { type: "number", description: "", optional: true }, c: { type: "string", description: "", computed: true } },
    };
    const prior = { n: 1.5, c: "x" };
    const proposed = { n: new DecimalNumber("1.50"), c: "x" };
    expect(planWithSchema(numBlock, prior, proposed, { n: new DecimalNumber("1.50"), c: null }).planned.c).toBe("x");
  });

  it("a change: computed attributes with null configuration become unknown again", () => {
    const prior = obj({ name: "n", id: "id-1", mode: "slow" });
    const config = obj({ name: "m" });
    const proposed = obj({ name: "m", id: "id-1", mode: "slow" });
    const { planned } = planWithSchema(block, prior, proposed, config);
    expect(planned.name).toBe("m");
    expect(planned.id).toBeInstanceOf(Unknown);
    expect(planned.mode).toBeInstanceOf(Unknown);
  });

  it("does not modify the proposed object it was given", () => {
    const config = obj({ name: "n" });
    const proposed = obj({ name: "n" });
    planWithSchema(block, null, proposed, config);
    expect(proposed).toEqual(obj({ name: "n" }));
  });

  it("write-only attributes are planned null, even when configured, and their modifiers do not run", () => {
    const modify = jest.fn(() => ({ planned: "leak" }));
    const woBlock: Block = {
      description: "",
      attributes: { secret: { type: "string", description: "", optional: true, writeOnly: true, planModifiers: [{ description: "", modify }] } },
    };
    const { planned } = planWithSchema(woBlock, null, { secret: "s3cret" }, { secret: "s3cret" });
    expect(planned.secret).toBeNull();
    expect(modify).not.toHaveBeenCalled();
  });

  it("plan modifiers run in declaration order, each seeing the value the previous one planned", () => {
    const calls: string[] = [];
    const mod = (name: string, next: string): PlanModifier => ({
      description: name,
      modify(req: AttributePlanRequest) {
        calls.push(`${name}:${String(req.planned)}`);
        return { planned: next };
      },
    });
    const b: Block = {
      description: "",
      attributes: {
        a: { type: "string", description: "", computed: true, planModifiers: [mod("first", "1"), mod("second", "2")] },
        b: { type: "string", description: "", optional: true, planModifiers: [mod("third", "3")] },
      },
    };
    const { planned } = planWithSchema(b, null, { a: null, b: "x" }, { a: null, b: "x" });
    expect(calls).toEqual(["first:(known after apply)", "second:1", "third:x"]);
    expect(planned).toEqual({ a: "2", b: "3" });
  });

  it("hands modifiers the path, config, prior (undefined on create) and whole objects", () => {
    const seen: AttributePlanRequest[] = [];
    const b: Block = {
      description: "",
      attributes: { a: { type: "string", description: "", optional: true, planModifiers: [{ description: "", modify: (r) => (seen.push(r), {}) }] } },
    };
    planWithSchema(b, null, { a: "x" }, { a: "x" });
    planWithSchema(b, { a: "old" }, { a: "x" }, { a: "x" });
    expect(seen[0]).toMatchObject({ path: [{ attr: "a" }], config: "x", planned: "x", priorState: null, configState: { a: "x" } });
    expect(seen[0].prior).toBeUndefined();
    expect(seen[1]).toMatchObject({ prior: "old", priorState: { a: "old" } });
  });

  it("collects requiresReplace paths and modifier diagnostics", () => {
    const warn: PlanModifier = { description: "", modify: () => ({ diagnostics: [error("x")] }) };
    const b: Block = {
      description: "",
      attributes: {
        a: { type: "string", description: "", required: true, planModifiers: [requiresReplace()] },
        b: { type: "string", description: "", required: true, planModifiers: [requiresReplace(), warn] },
        c: { type: "string", description: "", required: true, planModifiers: [requiresReplace()] },
      },
    };
    const prior = { a: "1", b: "1", c: "1" };
    const next = { a: "2", b: "2", c: "1" };
    const result = planWithSchema(b, prior, next, next);
    expect(result.requiresReplace).toEqual([[{ attr: "a" }], [{ attr: "b" }]]);
    expect(result.diagnostics).toEqual([error("x")]);
  });

  it("useStateForUnknown keeps the prior value after the generic step made it unknown", () => {
    const b: Block = {
      description: "",
      attributes: {
        name: { type: "string", description: "", required: true },
        id: { type: "string", description: "", computed: true, planModifiers: [useStateForUnknown()] },
        updated: { type: "string", description: "", computed: true },
      },
    };
    const prior = { name: "a", id: "id-1", updated: "t1" };
    const { planned } = planWithSchema(b, prior, { name: "b", id: "id-1", updated: "t1" }, { name: "b", id: null, updated: null });
    expect(planned.id).toBe("id-1");
    expect(planned.updated).toBeInstanceOf(Unknown);
  });

  describe("nested blocks", () => {
    const nested: Block = {
      description: "",
      attributes: { name: { type: "string", description: "", required: true } },
      blocks: {
        single: { nesting: "single", block: { description: "", attributes: { x: { type: "string", description: "", optional: true }, cx: { type: "string", description: "", computed: true } } } },
        items: { nesting: "list", block: { description: "", attributes: { v: { type: "string", description: "", optional: true }, cv: { type: "string", description: "", computed: true } } } },
      },
    };

    it("marks computed attributes inside single and list blocks unknown on create", () => {
      const config = { name: "n", single: { x: "1", cx: null }, items: [{ v: "a", cv: null }, { v: "b", cv: null }] };
      const { planned } = planWithSchema(nested, null, config, config);
      const single = planned.single as CtyObject;
      expect(single.x).toBe("1");
      expect(single.cx).toBeInstanceOf(Unknown);
      const items = planned.items as CtyObject[];
      expect(items.map((i) => i.v)).toEqual(["a", "b"]);
      expect(items.every((i) => i.cv instanceof Unknown)).toBe(true);
    });

    const modified: Block = {
      description: "",
      attributes: {},
      blocks: {
        items: {
          nesting: "list",
          block: {
            description: "",
            attributes: {
              key: { type: "string", description: "", required: true, planModifiers: [requiresReplace()] },
              secret: { type: "string", description: "", optional: true, writeOnly: true },
              cid: { type: "string", description: "", computed: true, planModifiers: [useStateForUnknown()] },
            },
          },
        },
        tags: { nesting: "set", block: { description: "", attributes: { t: { type: "string", description: "", required: true, planModifiers: [requiresReplace()] } } } },
      },
    };

    it("runs plan modifiers in list blocks against the element at the same index, with its path", () => {
      const prior = { items: [{ key: "a", secret: null, cid: "id-a" }, { key: "b", secret: null, cid: "id-b" }], tags: [] };
      const proposed = { items: [{ key: "a", secret: "s", cid: "id-a" }, { key: "B", secret: null, cid: "id-b" }], tags: [] };
      const { planned, requiresReplace: replace } = planWithSchema(modified, prior, proposed, proposed);
      expect(replace).toEqual([[{ attr: "items" }, { index: 1 }, { attr: "key" }]]);
      const items = planned.items as CtyObject[];
      // The whole object changes, so computed values go unknown — and useStateForUnknown brings them back.
      expect(items.map((i) => i.cid)).toEqual(["id-a", "id-b"]);
      // Write-only values never reach a plan, in a nested block as at the top.
      expect(items[0].secret).toBeNull();
    });

    it("gives a set element no prior value: it has no place but its value", () => {
      const prior = { items: [], tags: [{ t: "x" }] };
      const proposed = { items: [], tags: [{ t: "y" }] };
      expect(planWithSchema(modified, prior, proposed, proposed).requiresReplace).toEqual([]);
    });
  });
});

describe("structuredCloneValue", () => {
  it("deep-copies objects and lists but keeps Unknown and DecimalNumber instances", () => {
    const d = new DecimalNumber("1.0");
    const v = { a: [{ b: "x" }], u: unknown, d };
    const c = structuredCloneValue(v) as typeof v;
    expect(c).toEqual(v);
    expect(c.a).not.toBe(v.a);
    expect(c.a[0]).not.toBe(v.a[0]);
    expect(c.u).toBe(unknown);
    expect(c.d).toBe(d);
  });
});
