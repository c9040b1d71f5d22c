// Attribute validators and deprecation warnings for a configuration. Unknown values are skipped: they are
// checked again once known (at plan or apply), so `terraform validate` never needs credentials or network.
import { CtyObject, isUnknown } from "../../schema/cty";
import type { Block } from "../../schema/declaration";
import { Diagnostic, warning } from "../../schema/diagnostics";

export function validateBlockValues(block: Block, config: CtyObject): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, attr] of Object.entries(block.attributes)) {
    const value = config[name] ?? null;
    if (value === null || isUnknown(value)) continue;
    const path = [{ attr: name }];
    if (attr.deprecationMessage) out.push(warning(`Argument "${name}" is deprecated`, attr.deprecationMessage, path));
    for (const v of attr.validators ?? []) out.push(...v.validate(value, path));
  }
  return out;
}
