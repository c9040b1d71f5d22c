// What Terraform itself guarantees about a request, checked before a resource or data source sees it: state
// holds no unknown values, a configuration sets no computed-only attribute, a data source is read and a
// change applied only once the configuration is known, and Terraform's proposal keeps every configured value.
// A request that breaks one of these is reported as the malformed request it is — never passed on, where
// its inconsistency would come back blamed on the provider ("this is a bug in the provider").
import { type CtyObject, isWhollyKnown } from "../../schema/cty";
import { type Block, attributesOf } from "../../schema/declaration";
import { DiagnosticError, error } from "../../schema/diagnostics";
import { nestedObjects } from "../../schema/nested-blocks";
import { type Path, pathToString } from "../../schema/path";
import { planConfigMismatches } from "./consistency";

/** State (prior or current) never holds unknown values. */
export function requireKnownState(state: CtyObject | null, what: string): void {
  if (state !== null && !isWhollyKnown(state)) throw invalidRequest(`The ${what} holds unknown values; state never does.`);
}

/**
 * A configuration as Terraform sends it: computed-only attributes null; with `known`, no unknown values
 * either (data sources are read, and changes applied, only once the configuration is known).
 */
export function requireConfigShape(block: Block, config: CtyObject, what: string, options: { known: boolean }): void {
  const computedOnly = setComputedOnly(block, config);
  if (computedOnly.length > 0) {
    throw invalidRequest(`The ${what} sets ${list(computedOnly)}, which only the provider sets.`, computedOnly[0]);
  }
  if (options.known && !isWhollyKnown(config)) throw invalidRequest(`The ${what} holds unknown values; Terraform sends it only once it is known.`);
}

/** Terraform's proposed (or planned) object keeps every configured value. */
export function requireProposalFollowsConfig(block: Block, prior: CtyObject | null, config: CtyObject, proposed: CtyObject, what: string): void {
  const mismatches = planConfigMismatches(block, prior, config, proposed).filter((m) => !m.writeOnly).map((m) => m.path);
  if (mismatches.length > 0) {
    throw invalidRequest(`The ${what} differs from the configuration at ${list(mismatches)}; Terraform's never does.`, mismatches[0]);
  }
}

/** A planned object: unknown only where the provider computes a value. */
export function requireKnownWhereConfigured(block: Block, planned: CtyObject, what: string): void {
  const unknownArguments = attributesOf(block)
    .filter(([name, attr]) => !attr.computed && !isWhollyKnown(planned[name] ?? null))
    .map(([name]) => [{ attr: name }] as Path);
  if (unknownArguments.length > 0) {
    throw invalidRequest(`The ${what} leaves ${list(unknownArguments)} unknown, which only a computed value may be at apply.`, unknownArguments[0]);
  }
}

function setComputedOnly(block: Block, config: CtyObject, path: Path = []): Path[] {
  const out: Path[] = [];
  for (const [name, attr] of attributesOf(block)) {
    const value = config[name] ?? null;
    if (attr.computed && !attr.optional && !attr.required && value !== null) out.push([...path, { attr: name }]);
  }
  for (const nested of nestedObjects(block, config, path)) out.push(...setComputedOnly(nested.block, nested.object, nested.path));
  return out;
}

function list(paths: readonly Path[]): string {
  const shown = paths.slice(0, 3).map((p) => JSON.stringify(pathToString(p))).join(", ");
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

function invalidRequest(detail: string, path?: Path): DiagnosticError {
  return new DiagnosticError(error("Invalid request",
    `${detail} This request did not come from a Terraform that follows the plugin protocol; nothing was done.`, path));
}
