// Named, reusable plan behaviour for attributes (the plugin framework's plan modifiers).
import { type CtyValue, ctyEqual, isUnknown } from "./cty";
import type { AttributePlanRequest, PlanModifier } from "./declaration";

/** A change to this attribute replaces the object (the API cannot update it in place). */
export function requiresReplace(): PlanModifier {
  return requiresReplaceIf("changing it replaces the object", () => true);
}

/** Replace only when `when` says the change matters (e.g. two spellings of one instant do not). */
export function requiresReplaceIf(
  description: string,
  when: (prior: CtyValue, planned: CtyValue, req: AttributePlanRequest) => boolean,
): PlanModifier {
  return {
    description,
    modify(req) {
      if (req.prior === undefined || req.priorState === null) return {};
      if (ctyEqual(req.prior, req.planned)) return {};
      // An unknown planned value may turn out to differ, so it must plan the replacement now.
      if (isUnknown(req.planned) || when(req.prior, req.planned, req)) return { requiresReplace: true };
      return {};
    },
  };
}

/** A computed value that never changes once set: show the prior value instead of "(known after apply)". */
export function useStateForUnknown(): PlanModifier {
  return {
    description: "keeps the prior value once known",
    modify(req) {
      if (req.prior === undefined || req.prior === null || !isUnknown(req.planned)) return {};
      if (isUnknown(req.config)) return {};
      return { planned: req.prior };
    },
  };
}

/** What an omitted optional+computed attribute means, planned as a value so drift from it shows up. */
export function defaultValue(value: CtyValue, description: string): PlanModifier {
  return {
    description,
    modify: (req) => (req.config === null ? { planned: value } : {}),
  };
}
