// Terraform core's planning rules, applied once for every resource so none can break them by accident:
// computed values become unknown only when something changes, plan modifiers run in declaration order,
// write-only values never reach the plan — in nested blocks as at the top.
import { type CtyObject, type CtyValue, ctyEqual, isObjectValue, unknown } from "../../schema/cty";
import { type Block, attributesOf } from "../../schema/declaration";
import type { Diagnostic } from "../../schema/diagnostics";
import { nestedObjects } from "../../schema/nested-blocks";
import type { Path } from "../../schema/path";

export interface GenericPlan {
  planned: CtyObject;
  requiresReplace: Path[];
  diagnostics: Diagnostic[];
}

export function planWithSchema(block: Block, prior: CtyObject | null, proposed: CtyObject, config: CtyObject): GenericPlan {
  const plan: GenericPlan = { planned: structuredCloneValue(proposed) as CtyObject, requiresReplace: [], diagnostics: [] };
  const changing = prior === null || !ctyEqual(proposed, prior);
  planBlock(block, { prior, config, planned: plan.planned, path: [], changing, placed: true }, plan);
  return plan;
}

interface BlockPlan {
  readonly prior: CtyObject | null;
  readonly config: CtyObject | null;
  /** Modified in place. */
  readonly planned: CtyObject;
  readonly path: Path;
  /** Whether anything about the resource changes: only then do computed values become unknown. */
  readonly changing: boolean;
  /** False for set elements, whose configuration cannot be told apart from their prior self. */
  readonly placed: boolean;
}

function planBlock(block: Block, at: BlockPlan, out: GenericPlan): void {
  const { prior, config, planned, path } = at;
  if (at.changing) markComputedNullsUnknown(block, planned, config, at.placed);
  for (const [name, attr] of attributesOf(block)) {
    if (attr.writeOnly) {
      planned[name] = null;
      continue;
    }
    if (!attr.planModifiers?.length) continue;
    const attrPath = [...path, { attr: name }];
    for (const modifier of attr.planModifiers) {
      const result = modifier.modify({
        path: attrPath,
        config: config?.[name] ?? null,
        prior: prior === null ? undefined : prior[name] ?? null,
        planned: planned[name] ?? null,
        priorState: prior,
        configState: config,
      });
      if (result.planned !== undefined) planned[name] = result.planned;
      if (result.requiresReplace) out.requiresReplace.push(attrPath);
      out.diagnostics.push(...(result.diagnostics ?? []));
    }
  }
  for (const nested of nestedObjects(block, planned, path)) {
    planBlock(nested.block, {
      prior: nested.samePlaceIn(prior),
      config: nested.samePlaceIn(config),
      planned: nested.object,
      path: nested.path,
      changing: at.changing,
      placed: at.placed && nested.placed,
    }, out);
  }
}

/**
 * Like the plugin framework: every computed attribute the configuration leaves null is "known after apply".
 * Where the configuration cannot be located (a set element), only computed-only attributes are: an
 * optional+computed one may have been configured, and Terraform's proposal already holds that value.
 */
function markComputedNullsUnknown(block: Block, planned: CtyObject, config: CtyObject | null, placed: boolean): void {
  for (const [name, attr] of attributesOf(block)) {
    if (!attr.computed) continue;
    if (!placed && attr.optional) continue;
    if (config === null || (config[name] ?? null) === null) planned[name] = unknown;
  }
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
