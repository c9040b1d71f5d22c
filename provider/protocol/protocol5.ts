// tfplugin5: the only protocol of Terraform 0.12–0.14, still spoken by every later Terraform and OpenTofu.
// Maps the v5 RPC names onto the shared translation and adds v5's one quirk, PrepareProviderConfig.
import { Provider } from "../../gen/tfplugin5/tfplugin5_pb";
import type { ProviderCore } from "../core/provider-core";
import type { UnaryHandler } from "./grpc-service";
import { sharedHandlers } from "./wire-translation";

export const protocol5Service = Provider;

export function protocol5Handlers<S>(core: ProviderCore<S>): Record<string, UnaryHandler> {
  const h = sharedHandlers(core);
  return {
    GetMetadata: h.getMetadata,
    GetSchema: h.getProviderSchema,
    async PrepareProviderConfig(req) {
      const validated = (await h.validateProviderConfig(req)) as { diagnostics: object[] };
      // Terraform 0.13/0.14 decode prepared_config (and later ones ignore it): echo the configuration unchanged.
      return { preparedConfig: req.config?.msgpack?.length ? { msgpack: req.config.msgpack } : undefined, ...validated };
    },
    ValidateResourceTypeConfig: h.validateResourceConfig,
    ValidateDataSourceConfig: h.validateDataSourceConfig,
    UpgradeResourceState: h.upgradeResourceState,
    Configure: h.configureProvider,
    ReadResource: h.readResource,
    PlanResourceChange: h.planResourceChange,
    ApplyResourceChange: h.applyResourceChange,
    ImportResourceState: h.importResourceState,
    MoveResourceState: h.moveResourceState,
    ReadDataSource: h.readDataSource,
    GetFunctions: h.getFunctions,
    CallFunction: h.callFunction,
    ValidateEphemeralResourceConfig: h.validateEphemeralResourceConfig,
    OpenEphemeralResource: h.openEphemeralResource,
    RenewEphemeralResource: h.renewEphemeralResource,
    CloseEphemeralResource: h.closeEphemeralResource,
    Stop: h.stopProvider,
  };
}
