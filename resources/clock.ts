// "Now" for expiry and rotation decisions. Tests of the rotation window need to plan at a later time than
// the real one, so AGYN_PROVIDER_TEST_NOW (RFC 3339) overrides the clock — only together with
// TF_ACC=1, so a stray variable can never shift a real user's rotation.
import type { Logger } from "../provider/logging/logger";
import { type Instant, instantFromDate, parseRfc3339 } from "../gateway/instant";

export function now(env: NodeJS.ProcessEnv = process.env, log?: Logger): Instant {
  const override = env.AGYN_PROVIDER_TEST_NOW;
  if (override && env.TF_ACC === "1") {
    const parsed = parseRfc3339(override);
    if (parsed) {
      log?.warn("using the test clock from AGYN_PROVIDER_TEST_NOW", { now: override });
      return parsed;
    }
  }
  return instantFromDate(new Date());
}
