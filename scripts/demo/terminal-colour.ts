// Whether the demo may colour its output: only on a terminal, and not when NO_COLOR is set to anything
// (https://no-color.org) or the terminal is "dumb". Terraform does not look at NO_COLOR, so the demo passes
// -no-color to it on the same condition.
export function wantsColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (!stream.isTTY) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return env.TERM !== "dumb";
}
