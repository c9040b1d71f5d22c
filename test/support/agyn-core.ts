// The agyn provider inside the real core, configured with a fake Gateway: for tests of rules the core
// applies around a resource or data source (validation once values are known, consistency checks).
import type { GatewayClient } from "../../gateway/client";
import { fakeGateway } from "./operation-context";
import { generateApiToken } from "../../gateway/token-format";
import { encodeMsgpack } from "../../provider/codec/msgpack";
import { ProviderCore } from "../../provider/core/provider-core";
import { silentLogger } from "../../provider/logging/logger";
import { agynProvider } from "../../resources/agyn-provider";
import { AgynSession } from "../../resources/configuration/session";
import type { CtyObject } from "../../schema/cty";
import { impliedType } from "../../schema/declaration";

export async function agynCoreWith(gateway: Partial<GatewayClient>) {
  const session = new AgynSession(fakeGateway(gateway), "http://127.0.0.1:1", generateApiToken());
  const core = new ProviderCore({ ...agynProvider(), configure: async () => ({ session }) }, silentLogger);
  await core.configure({ terraformVersion: "1.11.0", config: {} });
  const schemas = core.schemas();
  /** A data source's or resource's value as Terraform sends it. */
  const encoded = (typeName: string, value: CtyObject) => {
    const schema = schemas.dataSources.get(typeName) ?? schemas.resources.get(typeName);
    if (!schema) throw new Error(`no type ${typeName}`);
    return { msgpack: encodeMsgpack(value, impliedType(schema.block)) };
  };
  return { core, encoded };
}
