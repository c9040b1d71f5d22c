// Attribute validators and deprecation warnings for a configuration, nested blocks included. Unknown values
// are skipped: they are checked again once known (at plan or apply), so `terraform validate` never needs
// credentials or network.
import { type CtyObject, isUnknown } from "../../schema/cty";
import { type Block, attributesOf } from "../../schema/declaration";
import { type Diagnostic, warning } from "../../schema/diagnostics";
import { nestedObjects } from "../../schema/nested-blocks";
import type { Path } from "../../schema/path";

export function validateBlockValues(block: Block, config: CtyObject, path: Path = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, attr] of attributesOf(block)) {
    if (!attr.deprecationMessage && !attr.validators?.length) continue;
    const value = config[name] ?? null;
    if (value === null || isUnknown(value)) continue;
    const at = [...path, { attr: name }];
    if (attr.deprecationMessage) out.push(warning(`Argument "${name}" is deprecated`, attr.deprecationMessage, at));
    for (const v of attr.validators ?? []) out.push(...v.validate(value, at));
  }
  for (const nested of nestedObjects(block, config, path)) out.push(...validateBlockValues(nested.block, nested.object, nested.path));
  return out;
}

/**
 * Validation once every value is known (at Configure, apply and read): what was unknown at validate time was
 * skipped then and is checked now. Errors only — the warnings were given at validation.
 */
export function errorsOnceKnown(block: Block, config: CtyObject, validateConfig: ((config: CtyObject) => Diagnostic[]) | undefined): Diagnostic[] {
  return [...validateBlockValues(block, config), ...(validateConfig?.(config) ?? [])].filter((d) => d.severity === "error");
}
