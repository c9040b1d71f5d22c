// data "agyn_api_tokens": ListAPITokens for the caller, mapped and filtered by api-token-inventory.
import type { DataSourceDefinition } from "../../provider/definition";
import { now } from "../clock";
import type { AgynSession } from "../configuration/session";
import { callGateway } from "../gateway-calls/gateway-diagnostics";
import { filtersFromConfig, selectTokens } from "./api-token-inventory";
import { apiTokensDataSourceSchema } from "./api-tokens-schema";

export const apiTokensDataSource: DataSourceDefinition<AgynSession, typeof apiTokensDataSourceSchema> = {
  typeName: "agyn_api_tokens",
  schema: apiTokensDataSourceSchema,
  async read({ config }, ctx) {
    const gateway = ctx.session().gateway();
    const tokens = await callGateway("listing API tokens", () => gateway.listApiTokens({ signal: ctx.signal }));
    const selected = selectTokens(tokens, filtersFromConfig(config), now(process.env, ctx.log));
    ctx.log.debug("listed API tokens", { listed: tokens.length, selected: selected.length });
    return { value: { ...config, tokens: selected } };
  },
};
