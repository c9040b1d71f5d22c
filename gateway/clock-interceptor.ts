// Feeds the GatewayClock (gateway-clock.ts) from every answer's Date header, errors included, so the check
// after a lost create can ask "created while our request was in flight" in the Gateway's time.
import { ConnectError, type Interceptor } from "@connectrpc/connect";
import type { GatewayClock } from "./gateway-clock";

export function clockInterceptor(clock: GatewayClock): Interceptor {
  return (next) => async (req) => {
    try {
      const res = await next(req);
      clock.observe(res.header.get("date"));
      return res;
    } catch (error) {
      if (error instanceof ConnectError) clock.observe(error.metadata.get("date"));
      throw error;
    }
  };
}
