// ReadDataSource: the configuration is known by now; the answer must be wholly known and keep every
// configured value as it was written.
import { isWhollyKnown } from "../../schema/cty";
import { error } from "../../schema/diagnostics";
import type { DataSourceDefinition, OperationContext } from "../definition";
import { checkPlanAgainstConfig } from "./consistency";
import { requireConfigShape } from "./request-checks";
import type { ReadDataSourceAnswer, ReadDataSourceRequest } from "./requests";
import { errorsOnceKnown } from "./validation";
import { decodeObject, encodeObject } from "./value-codec";

export async function readDataSource<S>(
  call: { readonly dataSource: DataSourceDefinition<S>; readonly provider: string; readonly context: OperationContext<S> },
  req: ReadDataSourceRequest,
): Promise<ReadDataSourceAnswer> {
  const block = call.dataSource.schema.block;
  const config = decodeObject(req.config, block, "configuration");
  requireConfigShape(block, config, "configuration", { known: true });
  const invalid = errorsOnceKnown(block, config, call.dataSource.validateConfig && ((c) => call.dataSource.validateConfig!(c, call.context)));
  if (invalid.length > 0) return { diagnostics: invalid };
  const result = await call.dataSource.read({ config }, call.context);
  const diagnostics = [...(result.diagnostics ?? [])];
  if (!result.value) return { diagnostics };
  if (!isWhollyKnown(result.value)) {
    diagnostics.push(error("Provider returned unknown values",
      `The ${call.provider} provider left values of data.${req.typeName} unknown. This is a bug in the provider.`));
    return { diagnostics };
  }
  diagnostics.push(...checkPlanAgainstConfig(call.provider, block, null, config, result.value));
  return { state: encodeObject(result.value, block), diagnostics };
}
