// Once Terraform has configured it, a provider process serves one burst of short calls (a plan makes four per
// resource) and exits with the command. Under V8's default thresholds TurboFan compiled some 200 of the functions
// those calls run, on a helper thread that competes with Terraform for the cores, for code that runs a few
// thousand times before the process ends. On node 20, raising the threshold sixteen-fold once configured cut the
// provider's CPU for the calls of a 500-token plan by about a quarter (README, Performance); code that stays hot
// for longer is still optimised. Not any earlier: start-up code would stay longer in the interpreter (launches
// measured 15–30 ms slower with the flag on node's command line), and V8 refuses a code cache made under other
// flags, so a launch that will write the launcher's cache at exit keeps the defaults.
import { setFlagsFromString } from "node:v8";
import type { Logger } from "../logging/logger";
import { codeCacheSavedAtExit } from "./code-cache";

const FACTOR = 16;

/** The V8 flag that raises TurboFan's threshold FACTOR times over this V8's default; undefined where it does not pay. */
export function turbofanDelayFlag(v8Version: string): string | undefined {
  // V8 11 (node 20) counts an interrupt budget, 67,584 by default (`node --v8-options`). V8 12 and 13 (node 22
  // and 24, and the release executables) count invocations instead (3,000), and sixteen times that made the
  // provider's CPU no better there (README, Performance), so they keep their defaults.
  return Number.parseInt(v8Version, 10) === 11 ? `--interrupt-budget=${67_584 * FACTOR}` : undefined;
}

export interface TurbofanDelayInputs {
  readonly v8Version: string;
  /** Whether the launcher writes the code cache at exit (a single executable never does). */
  readonly savesCodeCacheAtExit: boolean;
  readonly setFlags: (flags: string) => void;
}

/** Raises TurboFan's threshold for the rest of this process (again is harmless); says why not when it does not. */
export function delayTurbofanForCalls(
  log: Logger,
  inputs: TurbofanDelayInputs = { v8Version: process.versions.v8, savesCodeCacheAtExit: codeCacheSavedAtExit(), setFlags: setFlagsFromString },
): boolean {
  const flag = turbofanDelayFlag(inputs.v8Version);
  if (!flag) {
    log.debug("V8 tiering left at its defaults: delaying TurboFan does not pay on this V8", { v8: inputs.v8Version });
    return false;
  }
  if (inputs.savesCodeCacheAtExit) {
    log.debug("V8 tiering left at its defaults: this launch writes the code cache at exit");
    return false;
  }
  inputs.setFlags(flag);
  log.debug("V8 tiering: TurboFan delayed for the calls of this command", { flag });
  return true;
}
