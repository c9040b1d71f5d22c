// V8 tuned for a plugin process that lives for one Terraform command. V8 optimises a function with TurboFan once it
// has run for a while; most of what a provider runs turns hot only after a few hundred calls, and in a command of
// a few thousand calls the optimising itself (on a helper thread, i.e. the core Terraform wants) cost more than the
// faster code gave back: valgrind counted TurboFan as half of the extra instructions between a 100- and a
// 500-resource plan. A larger interrupt budget asks for optimisation later, so only what stays hot is optimised.
// Set before the bundle is compiled (V8's code cache records the flags it was made under) and again, harmlessly,
// by the entry point, which is where a single executable starts.
import { setFlagsFromString } from "node:v8";

/** Six times V8's default (67,584 bytecode bytes), measured with `npm run bench -- --only calls` (README, Performance). */
export const INTERRUPT_BUDGET = 405_504;

let tuned = false;

export function tuneV8ForOneCommand(): void {
  if (tuned) return;
  tuned = true;
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
