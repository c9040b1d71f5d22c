import { type CtyObject, type CtyValue, DecimalNumber, Unknown, unknown } from "../../schema/cty";
import type { AttributePlanRequest } from "../../schema/declaration";
import { requiresReplace, requiresReplaceIf, useStateForUnknown } from "../../schema/plan-modifiers";

/** A request for attribute "a"; prior undefined means create. */
function req(prior: CtyValue | undefined, planned: CtyValue, config: CtyValue = planned): AttributePlanRequest {
  const priorState: CtyObject | null = prior === undefined ? null : { a: prior };
  return { path: [{ attr: "a" }], config, prior, planned, priorState, configState: { a: config } };
}

describe("requiresReplace", () => {
  const m = requiresReplace();

  it("never on create", () => {
    expect(m.modify(req(undefined, "x"))).toEqual({});
    expect(m.modify(req(undefined, unknown))).toEqual({});
  });

  it("not when the planned value equals the prior (by value)", () => {
    expect(m.modify(req("x", "x"))).toEqual({});
    expect(m.modify(req(1.5, new DecimalNumber("1.50")))).toEqual({});
    expect(m.modify(req(null, null))).toEqual({});
  });

  it("yes when the value changes, including to or from null", () => {
    expect(m.modify(req("x", "y"))).toEqual({ requiresReplace: true });
    expect(m.modify(req(null, "y"))).toEqual({ requiresReplace: true });
    expect(m.modify(req("x", null))).toEqual({ requiresReplace: true });
  });

  it("yes when the planned value is unknown (it may turn out different)", () => {
    expect(m.modify(req("x", unknown))).toEqual({ requiresReplace: true });
  });

  it("never changes the planned value", () => {
    expect(m.modify(req("x", "y")).planned).toBeUndefined();
  });
});

describe("requiresReplaceIf", () => {
  it("asks the predicate only for known changes and replaces when it says so", () => {
    const when = jest.fn((prior: CtyValue, planned: CtyValue, _req: AttributePlanRequest) => String(prior).toLowerCase() !== String(planned).toLowerCase());
    const m = requiresReplaceIf("case-insensitive", when);
    expect(m.description).toBe("case-insensitive");
    expect(m.modify(req("abc", "ABC"))).toEqual({});
    expect(m.modify(req("abc", "abd"))).toEqual({ requiresReplace: true });
    expect(when).toHaveBeenCalledTimes(2);
    expect(when.mock.calls[0][0]).toBe("abc");
    expect(when.mock.calls[0][1]).toBe("ABC");
    expect(when.mock.calls[0][2]).toMatchObject({ path: [{ attr: "a" }] });
  });

  it("does not ask the predicate on create, when unchanged or when unknown (unknown always replaces)", () => {
    const when = jest.fn(() => false);
    const m = requiresReplaceIf("never", when);
    expect(m.modify(req(undefined, "x"))).toEqual({});
    expect(m.modify(req("x", "x"))).toEqual({});
    expect(m.modify(req("x", unknown))).toEqual({ requiresReplace: true });
    expect(when).not.toHaveBeenCalled();
  });

  it("no replacement when the predicate says the change does not matter", () => {
    expect(requiresReplaceIf("never", () => false).modify(req("x", "y"))).toEqual({});
  });
});

describe("useStateForUnknown", () => {
  const m = useStateForUnknown();

  it("keeps a known, non-null prior value when the planned value is unknown", () => {
    expect(m.modify(req("id-1", unknown, null))).toEqual({ planned: "id-1" });
  });

  it("does nothing on create", () => {
    expect(m.modify(req(undefined, unknown, null))).toEqual({});
  });

  it("does nothing when the prior value is null", () => {
    expect(m.modify(req(null, unknown, null))).toEqual({});
  });

  it("does nothing when the planned value is known", () => {
    expect(m.modify(req("id-1", "id-2"))).toEqual({});
    expect(m.modify(req("id-1", null))).toEqual({});
  });

  it("does nothing when the configuration itself is unknown", () => {
    expect(m.modify(req("id-1", unknown, unknown))).toEqual({});
  });

  it("never plans an unknown prior as if it were known", () => {
    const r = m.modify(req(new Unknown(), unknown, null));
    expect(r.planned === undefined || r.planned instanceof Unknown).toBe(true);
  });
});
