import { API_TOKEN_SECRET_SHAPE, generateApiToken } from "../../../gateway/token-format";
import { createLogger, hclogTimestamp, levelFromEnvironment, type LogLevel } from "../../../provider/logging/logger";
import { registerSecretPattern } from "../../../provider/logging/secret-redaction";

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

function collector(level: LogLevel | "off", extra: { module?: string; fields?: Record<string, unknown> } = {}) {
  const lines: string[] = [];
  const log = createLogger({ level, write: (l) => lines.push(l), ...extra });
  const entries = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, log, entries };
}

beforeAll(() => {
  registerSecretPattern(API_TOKEN_SECRET_SHAPE);
});

describe("hclog shape", () => {
  it("writes one JSON object per line with @level, @message, @module and @timestamp", () => {
    const { lines, entries } = (() => {
      const c = collector("trace");
      c.log.info("hello", { a: 1, b: "x" });
      return c;
    })();
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith("\n")).toBe(true);
    expect(lines[0].indexOf("\n")).toBe(lines[0].length - 1);
    const [e] = entries();
    expect(e["@level"]).toBe("info");
    expect(e["@message"]).toBe("hello");
    expect(e["@module"]).toBe("provider");
    expect(e["@timestamp"]).toMatch(TIMESTAMP);
    expect(e.a).toBe(1);
    expect(e.b).toBe("x");
  });

  it("every @ value is a string, and fields cannot override them", () => {
    const { log, entries } = collector("trace", { module: "provider.agyn" });
    log.warn("m", { "@level": 5, "@message": { x: 1 }, "@timestamp": null, "@module": ["a"], "@caller": 7 });
    const [e] = entries();
    for (const [k, v] of Object.entries(e)) if (k.startsWith("@")) expect(typeof v).toBe("string");
    expect(e["@level"]).toBe("warn");
    expect(e["@message"]).toBe("m");
    expect(e["@module"]).toBe("provider.agyn");
    expect(e).not.toHaveProperty("@caller");
  });

  it("hclogTimestamp has exactly six fractional digits", () => {
    expect(hclogTimestamp(new Date(Date.UTC(2024, 1, 29, 1, 2, 3, 45)))).toBe("2024-02-29T01:02:03.045000Z");
    expect(hclogTimestamp(new Date(0))).toMatch(TIMESTAMP);
  });

  it("with() adds fields to every line, and call fields win over them", () => {
    const { log, entries } = collector("trace", { fields: { base: "b" } });
    const child = log.with({ type_name: "agyn_api_token", shared: "child" });
    child.debug("d", { shared: "call" });
    expect(entries()[0]).toMatchObject({ base: "b", type_name: "agyn_api_token", shared: "call", "@level": "debug" });
  });

  it("a field that cannot be serialised (BigInt, circular) never throws and keeps the @ keys", () => {
    const { log, entries } = collector("trace");
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => log.info("big", { n: 10n })).not.toThrow();
    expect(() => log.info("loop", { c: circular })).not.toThrow();
    const [a, b] = entries();
    expect(a).toMatchObject({ "@level": "info", "@message": "big", fields: "(unserialisable)" });
    expect(a).not.toHaveProperty("n");
    expect(b).toMatchObject({ "@message": "loop", fields: "(unserialisable)" });
    expect(b).not.toHaveProperty("c");
  });
});

describe("level filtering", () => {
  const levels: LogLevel[] = ["trace", "debug", "info", "warn", "error"];

  it.each(levels)("at %s, only that level and above are written", (min) => {
    const { log, entries } = collector(min);
    for (const l of levels) log[l](l);
    expect(entries().map((e) => e["@level"])).toEqual(levels.slice(levels.indexOf(min)));
  });

  it("off writes nothing, even errors", () => {
    const { log, lines } = collector("off");
    for (const l of levels) log[l](l);
    expect(lines).toEqual([]);
  });

  it("child loggers keep the level", () => {
    const { log, lines } = collector("warn");
    log.with({ x: 1 }).info("no");
    log.with({ x: 1 }).error("yes");
    expect(lines).toHaveLength(1);
  });
});

describe("levelFromEnvironment", () => {
  it.each([
    [{ TF_LOG: "DEBUG" }, "debug"],
    [{ TF_LOG: "info" }, "info"],
    [{ TF_LOG: " Trace " }, "trace"],
    [{ TF_LOG: "WARN" }, "warn"],
    [{ TF_LOG: "warning" }, "warn"],
    [{ TF_LOG: "ERROR" }, "error"],
    [{ TF_LOG: "JSON" }, "trace"],
    [{ TF_LOG: "OFF" }, "off"],
    [{ TF_LOG: "nonsense" }, "trace"],
    [{ TF_LOG: "debug", TF_LOG_PROVIDER: "error" }, "error"],
    [{ TF_LOG: "error", TF_LOG_PROVIDER: "TRACE" }, "trace"],
    [{ TF_LOG: "debug", TF_LOG_PROVIDER: "off" }, "off"],
    [{ TF_LOG: "debug", TF_LOG_PROVIDER: "" }, "debug"],
    [{ TF_LOG_PROVIDER: "json" }, "trace"],
  ] as [NodeJS.ProcessEnv, string][])("%p → %s", (env, expected) => {
    expect(levelFromEnvironment(env)).toBe(expected);
  });

  it("unset means off, or the given fallback", () => {
    expect(levelFromEnvironment({})).toBe("off");
    expect(levelFromEnvironment({ TF_LOG: "" })).toBe("off");
    expect(levelFromEnvironment({ TF_LOG: "   " }, "info")).toBe("info");
    expect(levelFromEnvironment({}, "info")).toBe("info");
  });
});

describe("redaction", () => {
  it("token-shaped strings are redacted in the message and in string fields", () => {
    const token = generateApiToken();
    const { log, lines, entries } = collector("trace");
    log.error(`failed with ${token}`, { header: `Bearer ${token}` });
    expect(lines.join("")).not.toContain(token.slice(5));
    const [e] = entries();
    expect(e["@message"]).toBe("failed with agyn_…[redacted]");
    expect(e.header).toBe("Bearer agyn_…[redacted]");
  });

  it("Error values are logged as their redacted message", () => {
    const token = generateApiToken();
    const { log, lines, entries } = collector("trace");
    log.warn("oops", { error: new Error(`bad token ${token}`) });
    expect(lines.join("")).not.toContain(token.slice(5));
    expect(entries()[0].error).toBe("bad token agyn_…[redacted]");
  });

  it("tokens nested in objects, arrays and with() fields are redacted too", () => {
    const token = generateApiToken();
    const { log, lines } = collector("trace");
    log.with({ ctx: { auth: token } }).info("nested", { list: [token], deep: { a: { b: token } } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(token.slice(5));
    expect(lines[0].match(/agyn_…\[redacted\]/g)).toHaveLength(3);
  });

  it("text that merely starts with agyn_ but is shorter than a token is kept (e.g. the public prefix)", () => {
    const { log, entries } = collector("trace");
    log.info("prefix agyn_abc");
    expect(entries()[0]["@message"]).toBe("prefix agyn_abc");
  });
});
