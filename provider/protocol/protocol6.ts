// tfplugin6: Terraform >= 0.15 and OpenTofu. Maps the v6 RPC names onto the shared translation.
import { Provider } from "../../gen/tfplugin6/tfplugin6_pb";
import type { ProviderCore } from "../core/provider-core";
import type { UnaryHandler } from "./grpc-service";
import { sharedHandlers } from "./wire-translation";

export const protocol6Service = Provider;

export function protocol6Handlers<S>(core: ProviderCore<S>): Record<string, UnaryHandler> {
  const h = sharedHandlers(core);
  return {
    GetMetadata: h.getMetadata,
    GetProviderSchema: h.getProviderSchema,
    ValidateProviderConfig: h.validateProviderConfig,
    ValidateResourceConfig: h.validateResourceConfig,
    ValidateDataResourceConfig: h.validateDataSourceConfig,
    UpgradeResourceState: h.upgradeResourceState,
    ConfigureProvider: h.configureProvider,
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
    StopProvider: h.stopProvider,
  };
}
