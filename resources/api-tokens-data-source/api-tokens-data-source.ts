// data "agyn_api_tokens": ListAPITokens for the caller, mapped and filtered by api-token-inventory.
import type { DataSourceDefinition } from "../../provider/definition";
import { error } from "../../schema/diagnostics";
import { apiTokensDataSourceSchema } from "./api-tokens-schema";
import { filtersFromConfig, selectTokens, unusedSinceProblem } from "./api-token-inventory";
import { now } from "../clock";
import { callGateway } from "../gateway-calls/gateway-diagnostics";
import type { AgynSession } from "../configuration/session";

export const apiTokensDataSource: DataSourceDefinition<AgynSession> = {
  typeName: "agyn_api_tokens",
  schema: apiTokensDataSourceSchema,
  async read({ config }, ctx) {
    // A value unknown at validate time (say, from another resource) is first seen here; never ignore it.
    const problem = typeof config.unused_since === "string" ? unusedSinceProblem(config.unused_since) : undefined;
    if (problem) return { diagnostics: [error("Invalid value", problem, [{ attr: "unused_since" }])] };
    const gateway = ctx.session().gateway();
    const tokens = await callGateway("listing API tokens", () => gateway.listApiTokens({ signal: ctx.signal }));
    const selected = selectTokens(tokens, filtersFromConfig(config), now(process.env, ctx.log));
    ctx.log.debug("listed API tokens", { listed: tokens.length, selected: selected.length });
    return { value: { ...config, tokens: selected } };
  },
};
