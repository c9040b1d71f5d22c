// The checks Terraform core makes of a provider's answers, made first here so a broken answer is reported
// naming the attribute (Terraform would only say "inconsistent result"): plans against the configuration,
// applied values against the plan — in nested blocks as at the top.
import { type CtyObject, type CtyValue, ctyEqual, isUnknown, isWhollyKnown } from "../../schema/cty";
import { type Block, attributesOf } from "../../schema/declaration";
import { type Diagnostic, error } from "../../schema/diagnostics";
import { nestedObjects } from "../../schema/nested-blocks";
import { type Path, pathToString } from "../../schema/path";

/**
 * Terraform rejects a plan whose non-computed values differ from the configuration, or whose optional+computed
 * values were set by the provider although the user configured them.
 */
export function checkPlanAgainstConfig(
  provider: string,
  block: Block,
  prior: CtyObject | null,
  config: CtyObject,
  planned: CtyObject,
): Diagnostic[] {
  return planConfigMismatches(block, prior, config, planned).map(({ path, writeOnly }) =>
    providerBug(provider, (p) => (writeOnly ? `planned a value for write-only attribute ${p}` : `planned a value for ${p} that differs from its configuration`), path));
}

/** Where a plan (or Terraform's proposal) departs from the configuration; `writeOnly` marks a kept write-only value. */
export function planConfigMismatches(
  block: Block,
  prior: CtyObject | null,
  config: CtyObject,
  planned: CtyObject,
  path: Path = [],
): { path: Path; writeOnly: boolean }[] {
  const out: { path: Path; writeOnly: boolean }[] = [];
  for (const [name, attr] of attributesOf(block)) {
    const cfg = config[name] ?? null;
    const plan = planned[name] ?? null;
    if (attr.writeOnly) {
      if (plan !== null) out.push({ path: [...path, { attr: name }], writeOnly: true });
      continue;
    }
    if (attr.computed && cfg === null) continue;
    // Terraform accepts the prior value in place of the configured one only when both are non-null.
    const equivalentToPrior = cfg !== null && prior !== null && (prior[name] ?? null) !== null && ctyEqual(plan, prior[name]);
    if (!ctyEqual(plan, cfg) && !equivalentToPrior) out.push({ path: [...path, { attr: name }], writeOnly: false });
  }
  for (const nested of nestedObjects(block, planned, path)) {
    const cfg = nested.samePlaceIn(config);
    if (cfg === null) continue; // a set element (Terraform's proposal holds its configured values), or none configured
    out.push(...planConfigMismatches(nested.block, nested.samePlaceIn(prior), cfg, nested.object, nested.path));
  }
  return out;
}

/** After apply, Terraform requires every value known in the plan to come back unchanged. */
export function checkAppliedAgainstPlan(provider: string, block: Block, planned: CtyObject, applied: CtyObject, path: Path = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const name of Object.keys(block.attributes)) {
    const plan = planned[name] ?? null;
    if (isUnknown(plan)) continue;
    if (!ctyEqual(plan, applied[name] ?? null)) {
      out.push(providerBug(provider, (p) => `returned a value for ${p} after apply that differs from the planned value`, [...path, { attr: name }]));
    }
  }
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const plan = planned[name] ?? null;
    const got = applied[name] ?? null;
    const at = [...path, { attr: name }];
    // Wholly known blocks must come back as planned (a set in any order: its elements have no place).
    const same = nested.nesting === "set" ? sameSet(plan, got) : ctyEqual(plan, got);
    if (isWhollyKnown(plan) ? !same : Array.isArray(plan) && (!Array.isArray(got) || got.length !== plan.length)) {
      out.push(providerBug(provider, (p) => `returned blocks for ${p} after apply that differ from the planned blocks`, at));
    }
  }
  // Blocks with unknowns inside: each placed element's known values must come back.
  for (const nested of nestedObjects(block, planned, path)) {
    const got = nested.samePlaceIn(applied);
    if (!isWhollyKnown(nested.object) && got !== null) out.push(...checkAppliedAgainstPlan(provider, nested.block, nested.object, got, nested.path));
  }
  return out;
}

function sameSet(a: CtyValue, b: CtyValue): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return ctyEqual(a, b);
  return a.length === b.length && a.every((x) => b.some((y) => ctyEqual(x, y)));
}

function providerBug(provider: string, what: (quotedPath: string) => string, path: Path): Diagnostic {
  return error(
    "Provider produced an inconsistent value",
    `The ${provider} provider ${what(JSON.stringify(pathToString(path)))}. This is a bug in the provider; please report it.`,
    path,
  );
}
