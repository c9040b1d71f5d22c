// tfplugin6: Terraform >= 0.15 and OpenTofu. Maps the v6 RPCs onto the shared translation; the compiler
// checks every mapping against v6's own messages.
import { Provider } from "../../gen/tfplugin6/tfplugin6_pb";
import type { ProviderCore } from "../core/provider-core";
import { type UnaryHandlers, unaryHandlers } from "./unary-handlers";
import { sameNamedRpcs, wireTranslation } from "./wire-translation";

export const protocol6Service = Provider;

export function protocol6Handlers<S>(core: ProviderCore<S>): UnaryHandlers<typeof Provider> {
  const t = wireTranslation(core);
  return unaryHandlers(Provider, {
    ...sameNamedRpcs(t),
    getProviderSchema: t.getProviderSchema,
    validateProviderConfig: t.validateProviderConfig,
    validateResourceConfig: t.validateResourceConfig,
    validateDataResourceConfig: t.validateDataSourceConfig,
    configureProvider: t.configureProvider,
    stopProvider: t.stopProvider,
  });
}
