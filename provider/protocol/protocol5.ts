// tfplugin5: the only protocol of Terraform 0.12–0.14, still spoken by every later Terraform and OpenTofu.
// Maps the v5 RPCs onto the shared translation (the compiler checks each against v5's own messages) and
// adds v5's one quirk, PrepareProviderConfig.
import { Provider } from "../../gen/tfplugin5/tfplugin5_pb";
import type { ProviderCore } from "../core/provider-core";
import { type UnaryHandlers, unaryHandlers } from "./unary-handlers";
import { sameNamedRpcs, wireTranslation } from "./wire-translation";

export const protocol5Service = Provider;

export function protocol5Handlers<S>(core: ProviderCore<S>): UnaryHandlers<typeof Provider> {
  const t = wireTranslation(core);
  return unaryHandlers(Provider, {
    ...sameNamedRpcs(t),
    getSchema: t.getProviderSchema,
    async prepareProviderConfig(req) {
      const validated = await t.validateProviderConfig(req);
      // Terraform 0.13/0.14 decode prepared_config (and later ones ignore it): echo the configuration unchanged.
      return { preparedConfig: req.config?.msgpack?.length ? { msgpack: req.config.msgpack } : undefined, ...validated };
    },
    validateResourceTypeConfig: t.validateResourceConfig,
    validateDataSourceConfig: t.validateDataSourceConfig,
    configure: t.configureProvider,
    stop: t.stopProvider,
  });
}
