// gateway/fetch-headers.ts stands in for node's Headers inside the provider bundle, so every operation here runs on
// both, side by side, and must give the same answer, the same entries in the same order, or a TypeError on both.
import { FetchHeaders } from "../../gateway/fetch-headers";
import { seedFrom, seededRandom } from "../support/seeded-random";

type AnyHeaders = InstanceType<typeof Headers> | FetchHeaders;
type Outcome = { value: unknown } | { threw: string };

function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    // By name: node's Headers throws from node's own realm, which is not this test's (jest runs it in a vm context).
    return { threw: (error as { constructor?: { name?: string } } | null)?.constructor?.name ?? typeof error };
  }
}

/** What a Headers object shows: its entries in iteration order, forEach's view, get() of each name. */
function observed(headers: AnyHeaders): unknown {
  const seen: unknown[] = [];
  headers.forEach((value, name, self) => seen.push([name, value, self === headers]));
  return {
    entries: [...headers],
    keys: [...headers.keys()],
    values: [...headers.values()],
    forEach: seen,
    setCookie: headers.getSetCookie(),
    tag: Object.prototype.toString.call(headers),
  };
}

/** Runs `act` on a node Headers and on a FetchHeaders built from the same init; both must agree. */
function bothAgree(init: unknown, act: (headers: AnyHeaders) => unknown = () => undefined): void {
  const results = [Headers, FetchHeaders].map((Make) => {
    const made = outcome(() => new (Make as new (init?: unknown) => AnyHeaders)(init));
    if ("threw" in made) return { made };
    const headers = made.value as AnyHeaders;
    return { result: outcome(() => act(headers)), after: observed(headers) };
  });
  expect(results[1]).toEqual(results[0]);
}

describe("FetchHeaders, beside node's own Headers", () => {
  it.each([
    ["nothing", undefined],
    ["a record", { "Content-Type": "application/proto", "connect-protocol-version": "1", "X-Empty": "" }],
    ["a list of pairs, repeated and mixed-case names", [["A", "1"], ["a", " 2\t"], ["b", ""], ["Set-Cookie", "x=1"], ["set-cookie", "y=2"]]],
    ["a Map", new Map([["grpc-status", "0"]])],
    ["pairs as sets", [new Set(["a", "1"])]],
    ["a pair too short", [["a"]]],
    ["a pair too long", [["a", "1", "2"]]],
    ["null", null],
    ["a string", "ab"],
    ["a number", 5],
    ["values that are not strings", { a: 1, b: undefined, c: null, d: true }],
    ["an invalid name", { "a b": "1" }],
    ["an empty name", { "": "1" }],
    ["a value with a newline inside", { a: "x\ny" }],
    ["a value with NUL", { a: "x\0y" }],
    ["HTTP whitespace around a value", { a: "\n x \r" }],
    ["Latin-1 in a value", { a: "\u00e9" }],
    ["a character above U+00FF in a value", { a: "\u0100" }],
    ["Latin-1 in a name", { "\u00e9": "1" }],
    ["a record with a symbol key", { [Symbol("s")]: "1" }],
    ["a record with inherited and non-enumerable keys", Object.create({ inherited: "1" }, { own: { value: "2", enumerable: true }, hidden: { value: "3" } })],
  ])("is built from %s", (_, init) => bothAgree(init));

  it("is built from another Headers of either kind", () => {
    const pairs = [["b", "2"], ["A", "1"], ["set-cookie", "x"], ["set-cookie", "y"], ["a", "3"]];
    bothAgree(new Headers(pairs));
    bothAgree(new FetchHeaders(pairs));
  });

  it("makes a copy of another Headers that changes apart from it, whichever is changed", () => {
    const pairs = [["b", "2"], ["A", "1"], ["set-cookie", "x"], ["a", "3"]];
    const results = [Headers, FetchHeaders].map((Make) => {
      const original = new (Make as new (init?: unknown) => AnyHeaders)(pairs);
      expect([...original]).toHaveLength(3); // iterated first, so a copy could share what iteration keeps
      const copy = new (Make as new (init?: unknown) => AnyHeaders)(original);
      copy.append("a", "4");
      copy.delete("b");
      original.set("c", "5");
      original.append("set-cookie", "y");
      return { original: observed(original), copy: observed(copy) };
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[1].copy).not.toEqual(results[1].original);
  });

  it.each<[string, (h: AnyHeaders) => unknown]>([
    ["get of a repeated field", (h) => h.get("accept")],
    ["get of Set-Cookie", (h) => h.get("Set-Cookie")],
    ["get of a missing field", (h) => h.get("missing")],
    ["get of an invalid name", (h) => h.get("a b")],
    ["has, any case", (h) => [h.has("ACCEPT"), h.has("missing")]],
    ["has of an invalid name", (h) => h.has("a:")],
    ["set replacing every value", (h) => h.set("Accept", " text/plain ")],
    ["set of an invalid value", (h) => h.set("accept", "a\rb")],
    ["delete, any case", (h) => h.delete("SET-COOKIE")],
    ["delete of an invalid name", (h) => h.delete("")],
    ["append without a value", (h) => (h.append as (name: string) => void)("a")],
    ["get without a name", (h) => (h.get as () => string | null)()],
    ["forEach without a callback", (h) => (h.forEach as () => void)()],
    ["forEach with thisArg", (h) => {
      const calls: unknown[] = [];
      h.forEach(function (this: unknown) {
        calls.push(this);
      }, "self");
      return calls;
    }],
    ["a symbol as a value", (h) => h.append("a", Symbol("s") as unknown as string)],
    ["a number as a value", (h) => h.append("a", 1 as unknown as string)],
    ["iteration that sees a field appended on the way (live, as undici's)", (h) => {
      const iterator = h.entries();
      const first = iterator.next();
      h.append("aaa", "1");
      h.append("zzz", "2");
      return [first, ...iterator];
    }],
    ["forEach that changes the headers it walks", (h) => {
      const seen: string[] = [];
      h.forEach((_, name) => {
        seen.push(name);
        if (name === "accept") h.set("zz-added", "1");
      });
      return seen;
    }],
  ])("%s", (_, act) => bothAgree([["Accept", "a"], ["accept", "b"], ["Set-Cookie", "x=1"], ["set-cookie", "y=2"], ["Date", "now"]], act));

  it("agrees on random sequences of operations (seed from AGYN_HEADERS_FUZZ_SEED)", () => {
    const random = seededRandom(seedFrom("AGYN_HEADERS_FUZZ_SEED"));
    const names = ["a", "A", "b", "content-type", "Content-Type", "set-cookie", "Set-Cookie", "trailer-x", "grpc-status", "a b", "", "x:y", "\u00e9"];
    const values = ["", "1", " 2 ", "\t3", "a, b", "x\ny", "\u00e9", "\u0100", "v\0", "long value with spaces  "];
    for (let run = 0; run < 200; run++) {
      const ops = Array.from({ length: 1 + random.int(12) }, () => ({
        op: random.pick(["append", "set", "delete", "get", "has"] as const),
        name: random.pick(names),
        value: random.pick(values),
      }));
      const replay = (h: AnyHeaders) =>
        ops.map(({ op, name, value }) =>
          outcome(() => (op === "append" || op === "set" ? h[op](name, value) : h[op](name))));
      try {
        bothAgree(undefined, replay);
      } catch (error) {
        throw new Error(`seed ${random.seed}, run ${run}, operations ${JSON.stringify(ops)}: ${String(error)}`);
      }
    }
  });
});
