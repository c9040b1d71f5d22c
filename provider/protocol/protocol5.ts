// tfplugin5: the only protocol of Terraform 0.12–0.14, still spoken by every later Terraform and OpenTofu.
// Maps the v5 RPCs onto the shared translation (the compiler checks each against v5's own messages) and
// adds v5's one quirk, PrepareProviderConfig.
import { Provider } from "../../gen/tfplugin5/tfplugin5_pb";
import type { ProviderCore } from "../core/provider-core";
import { type UnaryHandlers, unaryHandlers } from "./unary-handlers";
import { wireTranslation } from "./wire-translation";

export const protocol5Service = Provider;

export function protocol5Handlers<S>(core: ProviderCore<S>): UnaryHandlers<typeof Provider> {
  const t = wireTranslation(core);
  return unaryHandlers(Provider, {
    getMetadata: t.getMetadata,
    getSchema: t.getProviderSchema,
    async prepareProviderConfig(req) {
      const validated = await t.validateProviderConfig(req);
      // Terraform 0.13/0.14 decode prepared_config (and later ones ignore it): echo the configuration unchanged.
      return { preparedConfig: req.config?.msgpack?.length ? { msgpack: req.config.msgpack } : undefined, ...validated };
    },
    validateResourceTypeConfig: t.validateResourceConfig,
    validateDataSourceConfig: t.validateDataSourceConfig,
    upgradeResourceState: t.upgradeResourceState,
    configure: t.configureProvider,
    readResource: t.readResource,
    planResourceChange: t.planResourceChange,
    applyResourceChange: t.applyResourceChange,
    importResourceState: t.importResourceState,
    moveResourceState: t.moveResourceState,
    readDataSource: t.readDataSource,
    getFunctions: t.getFunctions,
    callFunction: t.callFunction,
    validateEphemeralResourceConfig: t.validateEphemeralResourceConfig,
    openEphemeralResource: t.openEphemeralResource,
    renewEphemeralResource: t.renewEphemeralResource,
    closeEphemeralResource: t.closeEphemeralResource,
    stop: t.stopProvider,
  });
}
