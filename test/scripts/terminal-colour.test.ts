// When the demo colours its output: on a terminal, unless NO_COLOR (https://no-color.org) or TERM=dumb says no.
import { wantsColour } from "../../scripts/demo/terminal-colour";

describe("wantsColour", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [undefined, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true], // an empty NO_COLOR does not count
    [true, { TERM: "dumb" }, false],
  ])("a terminal: %p, environment %j -> %p", (isTTY, env, expected) => {
    expect(wantsColour({ isTTY }, env)).toBe(expected);
  });
});
