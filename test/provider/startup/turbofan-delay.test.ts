// Which V8 flag delays TurboFan on each node the provider supports, and when a configured process may set it.
import { createLogger } from "../../../provider/logging/logger";
import { type TurbofanDelayInputs, delayTurbofanForCalls, turbofanDelayFlag } from "../../../provider/startup/turbofan-delay";

describe("turbofanDelayFlag", () => {
  it("node 20's V8 11: sixteen times the default interrupt budget of 67,584", () => {
    expect(turbofanDelayFlag("11.3.244.8-node.38")).toBe("--interrupt-budget=1081344");
  });

  it.each([
    "10.2.154.26-node.26", // node 18
    "12.4.254.21-node.56", // node 22 and the release executables: measured, did not pay
    "13.6.233.17-node.63", // node 24: likewise
    "unknown",
  ])("leaves V8 %s at its defaults", (v8Version) => {
    expect(turbofanDelayFlag(v8Version)).toBeUndefined();
  });
});

describe("delayTurbofanForCalls", () => {
  function attempt(inputs: Omit<TurbofanDelayInputs, "setFlags">) {
    const set: string[] = [];
    const lines: string[] = [];
    const applied = delayTurbofanForCalls(createLogger({ level: "debug", write: (line) => lines.push(line) }), {
      ...inputs,
      setFlags: (flags) => set.push(flags),
    });
    return { applied, set, log: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
  }

  it("sets the flag when the launch writes no code cache at exit", () => {
    const { applied, set, log } = attempt({ v8Version: "11.3.244.8-node.38", savesCodeCacheAtExit: false });
    expect(applied).toBe(true);
    expect(set).toEqual(["--interrupt-budget=1081344"]);
    expect(log).toEqual([expect.objectContaining({ "@level": "debug", flag: "--interrupt-budget=1081344" })]);
  });

  it("keeps the defaults when the launcher writes the code cache at exit", () => {
    const { applied, set, log } = attempt({ v8Version: "11.3.244.8-node.38", savesCodeCacheAtExit: true });
    expect(applied).toBe(false);
    expect(set).toEqual([]);
    expect(log).toEqual([expect.objectContaining({ "@message": expect.stringContaining("writes the code cache at exit") })]);
  });

  it("keeps the defaults on a V8 where delaying TurboFan does not pay", () => {
    const { applied, set } = attempt({ v8Version: "12.4.254.21-node.56", savesCodeCacheAtExit: false });
    expect(applied).toBe(false);
    expect(set).toEqual([]);
  });
});
