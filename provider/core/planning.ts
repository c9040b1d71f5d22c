// Terraform core's planning rules, applied once for every resource so none can break them by accident:
// computed values become unknown only when something changes, plan modifiers run in declaration order,
// write-only values never reach the plan, and the result is checked against the configuration.
import { CtyObject, CtyValue, ctyEqual, isObjectValue, isUnknown, unknown } from "../../schema/cty";
import type { Block } from "../../schema/declaration";
import type { Path } from "../../schema/path";
import { Diagnostic, error } from "../../schema/diagnostics";

export interface GenericPlan {
  planned: CtyObject;
  requiresReplace: Path[];
  diagnostics: Diagnostic[];
}

export function planWithSchema(block: Block, prior: CtyObject | null, proposed: CtyObject, config: CtyObject): GenericPlan {
  const planned = structuredCloneValue(proposed) as CtyObject;
  if (prior === null || !ctyEqual(proposed, prior)) markComputedNullsUnknown(block, planned, config);

  const requiresReplace: Path[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const [name, attr] of Object.entries(block.attributes)) {
    if (attr.writeOnly) {
      planned[name] = null;
      continue;
    }
    for (const modifier of attr.planModifiers ?? []) {
      const result = modifier.modify({
        path: [{ attr: name }],
        config: config[name] ?? null,
        prior: prior === null ? undefined : prior[name] ?? null,
        planned: planned[name] ?? null,
        priorState: prior,
        configState: config,
      });
      if (result.planned !== undefined) planned[name] = result.planned;
      if (result.requiresReplace) requiresReplace.push([{ attr: name }]);
      diagnostics.push(...(result.diagnostics ?? []));
    }
  }
  return { planned, requiresReplace, diagnostics };
}

/** Like the plugin framework: every computed attribute the configuration leaves null is "known after apply". */
function markComputedNullsUnknown(block: Block, planned: CtyObject, config: CtyObject | null): void {
  for (const [name, attr] of Object.entries(block.attributes)) {
    if (attr.computed && (config === null || (config[name] ?? null) === null)) planned[name] = unknown;
  }
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const value = planned[name];
    const cfg = config?.[name] ?? null;
    if (nested.nesting === "single" || nested.nesting === "group") {
      if (isObjectValue(value)) markComputedNullsUnknown(nested.block, value, isObjectValue(cfg) ? cfg : null);
    } else if (nested.nesting === "list" && Array.isArray(value)) {
      value.forEach((el, i) => {
        const c = Array.isArray(cfg) ? cfg[i] : null;
        if (isObjectValue(el)) markComputedNullsUnknown(nested.block, el, c && isObjectValue(c) ? c : null);
      });
    }
  }
}

/**
 * Terraform rejects a plan whose non-computed values differ from the configuration, or whose optional+computed
 * values were set by the provider although the user configured them. Checking here names our bug precisely.
 */
export function checkPlanAgainstConfig(
  provider: string,
  block: Block,
  prior: CtyObject | null,
  config: CtyObject,
  planned: CtyObject,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, attr] of Object.entries(block.attributes)) {
    const cfg = config[name] ?? null;
    const plan = planned[name] ?? null;
    if (attr.writeOnly) {
      if (plan !== null) out.push(providerBug(provider, `planned a value for write-only attribute "${name}"`, name));
      continue;
    }
    if (attr.computed && cfg === null) continue;
    // Terraform accepts the prior value in place of the configured one only when both are non-null.
    const equivalentToPrior = cfg !== null && prior !== null && (prior[name] ?? null) !== null && ctyEqual(plan, prior[name]);
    if (!ctyEqual(plan, cfg) && !equivalentToPrior) {
      out.push(providerBug(provider, `planned a value for "${name}" that differs from its configuration`, name));
    }
  }
  return out;
}

/** After apply, Terraform requires every value known in the plan to come back unchanged. */
export function checkAppliedAgainstPlan(provider: string, block: Block, planned: CtyObject, applied: CtyObject): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of Object.keys(block.attributes)) {
    const plan = planned[name] ?? null;
    if (isUnknown(plan)) continue;
    if (!ctyEqual(plan, applied[name] ?? null)) {
      out.push(providerBug(provider, `returned a value for "${name}" after apply that differs from the planned value`, name));
    }
  }
  return out;
}

function providerBug(provider: string, what: string, attr: string): Diagnostic {
  return error(
    "Provider produced an inconsistent value",
    `The ${provider} provider ${what}. This is a bug in the provider; please report it.`,
    [{ attr }],
  );
}

export function structuredCloneValue(v: CtyValue): CtyValue {
  if (Array.isArray(v)) return v.map(structuredCloneValue);
  if (isObjectValue(v)) {
    const out: CtyObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = structuredCloneValue(x);
    return out;
  }
  return v;
}
