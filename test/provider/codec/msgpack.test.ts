import { encode, ExtData } from "@msgpack/msgpack";
import { decodeMsgpack, encodeMsgpack } from "../../../provider/codec/msgpack";
import { decodeJsonState } from "../../../provider/codec/json-state";
import { CodecError } from "../../../provider/codec/codec-error";
import { type CtyType, DecimalNumber, DynamicValueOf, Unknown, ctyEqual, unknown } from "../../../schema/cty";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("msgpack codec", () => {
  it("encodes null as nil and unknown as fixext1 type 0 (d4 00 00)", () => {
    expect(hex(encodeMsgpack(null, "string"))).toBe("c0");
    expect(hex(encodeMsgpack(unknown, "string"))).toBe("d40000");
  });

  it("decodes any extension type as unknown, including refined unknowns (ext 12) with their refinements", () => {
    expect(decodeMsgpack(Uint8Array.from([0xd4, 0x00, 0x00]), "string")).toBeInstanceOf(Unknown);
    expect(decodeMsgpack(encode(new ExtData(5, Uint8Array.of(1, 2))), "bool")).toBeInstanceOf(Unknown);
    const refined = encode(new ExtData(12, encode({ 1: false, 2: "agyn_" })));
    const v = decodeMsgpack(refined, "string") as Unknown;
    expect(v).toBeInstanceOf(Unknown);
    expect(v.refinements).toEqual({ notNull: true, stringPrefix: "agyn_" });
    // Refinements it does not use (number bounds, length bounds, nested items) are skipped whole, the rest still read.
    const entries: unknown[] = [3, [1.5, true], 4, { lo: [1, [2, "x"]], hi: Uint8Array.of(9) }, 1, false, 2, "p_"];
    const skipped = encode(new ExtData(12, Buffer.concat([Uint8Array.of(0x84), ...entries.map((item) => encode(item))])));
    expect((decodeMsgpack(skipped, "string") as Unknown).refinements).toEqual({ notNull: true, stringPrefix: "p_" });
    // An unreadable refinement payload is still just unknown.
    expect(decodeMsgpack(encode(new ExtData(12, Uint8Array.of(0xc1))), "string")).toBeInstanceOf(Unknown);
  });

  it("round-trips bool, string, list, set, map and nested objects", () => {
    const type: CtyType = ["object", {
      b: "bool", s: "string", l: ["list", "string"], st: ["set", "number"], m: ["map", "bool"],
      o: ["object", { inner: "string" }], blocks: ["list", ["object", { x: "string" }]],
    }];
    const value = { b: true, s: "héllo", l: ["a", "b"], st: [1, 2.5], m: { k: false }, o: { inner: "i" }, blocks: [{ x: "1" }, { x: null }] };
    expect(decodeMsgpack(encodeMsgpack(value, type), type)).toEqual(value);
  });

  it("writes every attribute of an object, null where absent (Terraform rejects incomplete objects)", () => {
    const type: CtyType = ["object", { a: "string", b: "string" }];
    const decoded = encodeMsgpack({ a: "x" }, type);
    expect(hex(decoded)).toBe(hex(encode({ a: "x", b: null })));
  });

  it("accepts numbers sent as strings and keeps their exact text for the answer", () => {
    const bytes = encode("0.1");
    const v = decodeMsgpack(bytes, "number");
    expect(v).toBeInstanceOf(DecimalNumber);
    expect(hex(encodeMsgpack(v, "number"))).toBe(hex(bytes));
    expect(ctyEqual(v, new DecimalNumber("0.10"))).toBe(true);
    expect(() => decodeMsgpack(encode("ten"), "number")).toThrow(CodecError);
  });

  it("decodes ints, floats and 64-bit integers", () => {
    expect(decodeMsgpack(encode(42), "number")).toBe(42);
    expect(decodeMsgpack(encode(-1.5), "number")).toBe(-1.5);
    const big = decodeMsgpack(encode(2n ** 62n, { useBigInt64: true }), "number");
    expect(big).toBeInstanceOf(DecimalNumber);
    expect(String(big)).toBe((2n ** 62n).toString());
  });

  it("encodes and decodes dynamic values as [type JSON, value]", () => {
    const v = new DynamicValueOf(["list", "string"], ["a"]);
    const back = decodeMsgpack(encodeMsgpack(v, "dynamic"), "dynamic");
    expect(back).toEqual(v);
  });

  it("refuses a dynamic value whose type JSON is not a cty type, with a CodecError", () => {
    const dynamicOf = (typeJson: string, value: unknown = "x") => encode([Buffer.from(typeJson), value]);
    for (const bad of ["null", "5", '"text"', '["list"]', '["object", 5]', '["object", null]', '["tuple", "string"]', '["map", "string", 1]', "{", '["object", {"a": "nope"}]']) {
      expect(() => decodeMsgpack(dynamicOf(bad), "dynamic")).toThrow(CodecError);
    }
    // An object type with its optional attributes (a third element) is a type all the same.
    expect(decodeMsgpack(dynamicOf('["object", {"a": "string"}, ["a"]]', { a: "x" }), "dynamic"))
      .toEqual(new DynamicValueOf(["object", { a: "string" }, ["a"]] as never, { a: "x" }));
  });

  it("reports malformed input with the attribute path instead of crashing", () => {
    const type: CtyType = ["object", { name: "string", tags: ["list", "string"] }];
    try {
      decodeMsgpack(encode({ name: "x", tags: ["a", 7] }), type);
      throw new Error("expected a CodecError");
    } catch (err) {
      expect(err).toBeInstanceOf(CodecError);
      expect((err as CodecError).path).toEqual([{ attr: "tags" }, { index: 1 }]);
    }
    expect(() => decodeMsgpack(encode({ name: "x", surprise: 1 }), type)).toThrow(/unsupported attribute "surprise"/);
    expect(() => decodeMsgpack(Uint8Array.of(0xc1), type)).toThrow(CodecError);
    expect(() => decodeMsgpack(encode(["not", "an", "object"]), type)).toThrow(CodecError);
    expect(() => encodeMsgpack({ name: 3 } as never, type)).toThrow(CodecError);
  });
});

describe("msgpack codec: attribute names and strings", () => {
  const type: CtyType = ["object", { zeta: "string", alpha: "string", mid: "number" }];
  // A map written key by key: `keys` in this order, each as @msgpack/msgpack encodes it unless given as bytes.
  const objectBytes = (entries: [string | Uint8Array, unknown][]) =>
    Buffer.concat([Uint8Array.of(0x80 | entries.length), ...entries.flatMap(([k, v]) => [typeof k === "string" ? encode(k) : k, encode(v)])]);

  it("reads an object's attributes in any order, as cty sorts them or not, and a name in a longer encoding than needed", () => {
    const expected = { zeta: "z", alpha: "a", mid: 1 };
    expect(decodeMsgpack(objectBytes([["alpha", "a"], ["mid", 1], ["zeta", "z"]]), type)).toEqual(expected);
    expect(decodeMsgpack(objectBytes([["zeta", "z"], ["mid", 1], ["alpha", "a"]]), type)).toEqual(expected);
    expect(decodeMsgpack(objectBytes([["mid", 1], ["alpha", "a"], ["zeta", "z"]]), type)).toEqual(expected);
    // "alpha" as str8 (d9 05 ...) instead of fixstr: the same name, not the bytes the fast path compares with.
    const str8 = Buffer.concat([Uint8Array.of(0xd9, 5), Buffer.from("alpha")]);
    expect(decodeMsgpack(objectBytes([[str8, "a"], ["mid", 1], ["zeta", "z"]]), type)).toEqual(expected);
  });

  it("still refuses an unknown attribute, one that shares a prefix with an expected name, and a name cut short", () => {
    expect(() => decodeMsgpack(objectBytes([["alpha", "a"], ["alphabet", "b"]]), type)).toThrow(/unsupported attribute "alphabet"/);
    expect(() => decodeMsgpack(objectBytes([["alph", "a"]]), type)).toThrow(/unsupported attribute "alph"/);
    const whole = objectBytes([["alpha", "a"]]);
    expect(() => decodeMsgpack(whole.subarray(0, 4), type)).toThrow(CodecError);
  });

  it.each([
    ["empty", ""],
    ["31 ASCII characters (fixstr)", "a".repeat(31)],
    ["32 ASCII characters (str8)", "b".repeat(32)],
    ["255 ASCII characters (str8)", "c".repeat(255)],
    ["256 ASCII characters (str16)", "d".repeat(256)],
    ["non-ASCII at the end", `${"e".repeat(40)}é`],
    ["non-ASCII at the start", "ü-z"],
    ["an astral character", "token 🔑"],
  ])("writes a string the way @msgpack/msgpack does: %s", (_what, text) => {
    expect(hex(encodeMsgpack(text, "string"))).toBe(hex(encode(text)));
    expect(decodeMsgpack(encodeMsgpack(text, "string"), "string")).toBe(text);
  });

  it("normalises text outside ASCII to NFC, as cty does, and leaves ASCII as it is", () => {
    expect(decodeMsgpack(encodeMsgpack("cafe\u0301", "string"), "string")).toBe("caf\u00e9");
    expect(hex(encodeMsgpack("plain ascii", "string"))).toBe(hex(encode("plain ascii")));
  });
});

describe("JSON raw state", () => {
  it("fills missing attributes with null and drops attributes the schema no longer has", () => {
    const type: CtyType = ["object", { id: "string", token: "string", expired: "bool" }];
    const v = decodeJsonState(Buffer.from(JSON.stringify({ id: "1", old_field: "x" })), type);
    expect(v).toEqual({ id: "1", token: null, expired: null });
  });
  it("points at the attribute that does not fit, and reads only the state's own keys", () => {
    // Built from entries: TypeScript reads a literal key "constructor" as Object's own.
    const attrs: Record<string, CtyType> = Object.fromEntries([["tags", ["list", "bool"]], ["constructor", "string"], ["labels", ["map", "string"]]]);
    const type: CtyType = ["object", attrs];
    try {
      decodeJsonState(Buffer.from(JSON.stringify({ tags: [true, "no"] })), type);
      throw new Error("expected a CodecError");
    } catch (err) {
      expect(err).toBeInstanceOf(CodecError);
      expect((err as CodecError).path).toEqual([{ attr: "tags" }, { index: 1 }]);
    }
    // "constructor" is absent from the state, so null (not Object's constructor); "__proto__" is a plain map key.
    const v = decodeJsonState(Buffer.from('{"tags":[],"labels":{"__proto__":"x"}}'), type) as Record<string, unknown>;
    expect(v["constructor"]).toBeNull();
    expect(Object.getPrototypeOf(v["labels"])).toBe(Object.prototype);
    expect(Object.keys(v["labels"] as object)).toEqual(["__proto__"]);
  });
  it("rejects invalid JSON with a CodecError", () => {
    expect(() => decodeJsonState(Buffer.from("{"), ["object", {}])).toThrow(CodecError);
  });
});
