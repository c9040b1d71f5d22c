// The codec writes and reads msgpack itself; @msgpack/msgpack, a general implementation of the spec, is the
// reference here. Random types and values (seed from AGYN_MSGPACK_FUZZ_SEED to replay): our bytes must be the
// reference's bytes for the same value, the reference's bytes must decode to the value, and damaged bytes must be a
// CodecError, never another exception.
import { ExtData, encode } from "@msgpack/msgpack";
import { CodecError } from "../../../provider/codec/codec-error";
import { decodeMsgpack, encodeMsgpack } from "../../../provider/codec/msgpack";
import { type CtyType, type CtyValue, DecimalNumber, DynamicValueOf, Unknown } from "../../../schema/cty";
import { type Random, seedFrom, seededRandom } from "../../support/seeded-random";

const seed = seedFrom("AGYN_MSGPACK_FUZZ_SEED");
const RUNS = 400;

const NAMES = ["id", "description", "token", "expires_at", "tags", "nested", "a", "b", "Ω", "x".repeat(40)];
const STRINGS = ["", "bench 1", "héllo", "日本語", "emoji 🙂", "x".repeat(31), "y".repeat(32), "z".repeat(255), "w".repeat(256), "v".repeat(70000)];
const INTEGERS = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31)];
const FLOATS = [0.5, -1.25, 1e300, 2 ** 53 + 2, 3.141592653589793];

function randomType(random: Random, depth: number): CtyType {
  const scalar: CtyType[] = ["string", "number", "bool"];
  if (depth >= 3 || random.chance(0.4)) return random.chance(0.1) ? "dynamic" : random.pick(scalar);
  switch (random.int(5)) {
    case 0: return ["list", randomType(random, depth + 1)];
    case 1: return ["set", randomType(random, depth + 1)];
    case 2: return ["map", randomType(random, depth + 1)];
    case 3: return ["tuple", Array.from({ length: random.int(3) }, () => randomType(random, depth + 1))];
    default: {
      const attrs: Record<string, CtyType> = {};
      for (let i = random.int(NAMES.length + 12); i > 0; i--) attrs[random.chance(0.5) ? random.pick(NAMES) : `attr_${i}`] = randomType(random, depth + 1);
      return ["object", attrs];
    }
  }
}

function randomValue(random: Random, type: CtyType): CtyValue {
  if (random.chance(0.1)) return null;
  if (random.chance(0.05)) return new Unknown();
  if (typeof type === "string") {
    switch (type) {
      case "string": return random.pick(STRINGS);
      case "bool": return random.chance(0.5);
      case "number": return random.chance(0.6) ? random.pick(INTEGERS) : random.chance(0.5) ? random.pick(FLOATS) : new DecimalNumber("0.1");
      case "dynamic": return new DynamicValueOf("string", random.pick(STRINGS));
    }
  }
  const [shape, inner] = type;
  if (shape === "list" || shape === "set") return Array.from({ length: random.int(random.chance(0.05) ? 20 : 4) }, () => randomValue(random, inner as CtyType));
  if (shape === "tuple") return (inner as CtyType[]).map((t) => randomValue(random, t));
  const out: Record<string, CtyValue> = {};
  if (shape === "map") {
    for (let i = random.int(4); i > 0; i--) out[random.pick(STRINGS.slice(0, 6))] = randomValue(random, inner as CtyType);
    return out;
  }
  for (const [name, t] of Object.entries(inner as Record<string, CtyType>)) out[name] = randomValue(random, t);
  return out;
}

/** The value as a generic encoder sees it: unknown as cty's d4 00 00 extension, decimals as their text. */
function referenceItem(value: CtyValue): unknown {
  if (value instanceof Unknown) return new ExtData(0, Uint8Array.of(0));
  if (value instanceof DecimalNumber) return value.text;
  if (value instanceof DynamicValueOf) return [Buffer.from(JSON.stringify(value.type)), referenceItem(value.value)];
  if (Array.isArray(value)) return value.map(referenceItem);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = referenceItem(v);
    return out;
  }
  return value;
}

describe(`msgpack codec against a general msgpack implementation (seed ${seed})`, () => {
  const random = seededRandom(seed);
  const cases = Array.from({ length: RUNS }, () => {
    const type = randomType(random, 0);
    return { type, value: randomValue(random, type) };
  });

  it("writes exactly the bytes the reference writes for the same value", () => {
    for (const [run, { type, value }] of cases.entries()) {
      const ours = Buffer.from(encodeMsgpack(value, type)).toString("hex");
      const reference = Buffer.from(encode(referenceItem(value), { useBigInt64: true, ignoreUndefined: false })).toString("hex");
      if (ours !== reference) throw new Error(`seed ${seed}, run ${run}, type ${JSON.stringify(type)}: ${ours} != ${reference}`);
    }
  });

  it("reads the reference's bytes back to the value", () => {
    for (const { type, value } of cases) {
      expect(decodeMsgpack(encode(referenceItem(value), { useBigInt64: true }), type)).toEqual(value);
    }
  });

  it("reads every integer and float width, 64-bit integers included, as cty may send them", () => {
    const widths: [string, CtyValue][] = [
      ["cc05", 5], ["cd0005", 5], ["ce00000005", 5], ["cf0000000000000005", 5],
      ["d0fb", -5], ["d1fffb", -5], ["d2fffffffb", -5], ["d3fffffffffffffffb", -5],
      ["ca3fc00000", 1.5], ["cb3ff8000000000000", 1.5],
      ["cf7fffffffffffffff", new DecimalNumber("9223372036854775807")], ["d38000000000000000", new DecimalNumber("-9223372036854775808")],
    ];
    for (const [hex, value] of widths) expect(decodeMsgpack(Buffer.from(hex, "hex"), "number")).toEqual(value);
    // Integers past 32 bits are written as cty writes them, in the 64-bit int forms.
    expect(Buffer.from(encodeMsgpack(2 ** 40, "number")).toString("hex")).toBe("cf0000010000000000");
    expect(Buffer.from(encodeMsgpack(-(2 ** 40), "number")).toString("hex")).toBe("d3ffffff0000000000");
    expect(decodeMsgpack(encodeMsgpack(Number.MAX_SAFE_INTEGER, "number"), "number")).toBe(Number.MAX_SAFE_INTEGER);
    expect(decodeMsgpack(encodeMsgpack(Number.MIN_SAFE_INTEGER, "number"), "number")).toBe(Number.MIN_SAFE_INTEGER);
  });

  it("reads strings, arrays and maps in their 8-, 16- and 32-bit length forms", () => {
    expect(decodeMsgpack(Buffer.from("d90161", "hex"), "string")).toBe("a");
    expect(decodeMsgpack(Buffer.from("da000161", "hex"), "string")).toBe("a");
    expect(decodeMsgpack(Buffer.from("db0000000161", "hex"), "string")).toBe("a");
    expect(decodeMsgpack(Buffer.from("dc0001c3", "hex"), ["list", "bool"])).toEqual([true]);
    expect(decodeMsgpack(Buffer.from("dd00000001c3", "hex"), ["list", "bool"])).toEqual([true]);
    expect(decodeMsgpack(Buffer.from("de0001a161c2", "hex"), ["map", "bool"])).toEqual({ a: false });
    expect(decodeMsgpack(Buffer.from("df00000001a161c2", "hex"), ["object", { a: "bool", b: "bool" }])).toEqual({ a: false, b: null });
  });

  it("keeps a map key named __proto__ as a plain key", () => {
    const decoded = decodeMsgpack(Buffer.from("81a95f5f70726f746f5f5fc3", "hex"), ["map", "bool"]) as Record<string, CtyValue>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(["__proto__"]);
    expect(Buffer.from(encodeMsgpack(decoded, ["map", "bool"])).toString("hex")).toBe("81a95f5f70726f746f5f5fc3");
  });

  it("turns truncated, extended and damaged bytes into a CodecError and nothing else", () => {
    const damage = seededRandom(seed + 1);
    const outcome = (variant: Uint8Array, type: CtyType, run: number): "decoded" | "refused" => {
      try {
        decodeMsgpack(variant, type);
        return "decoded";
      } catch (err) {
        if (err instanceof CodecError) return "refused";
        throw new Error(`seed ${seed}, run ${run}, bytes ${Buffer.from(variant).toString("hex")}: ${String(err)}`);
      }
    };
    for (const [run, { type, value }] of cases.entries()) {
      const bytes = encodeMsgpack(value, type);
      // A strict prefix of an item is never a whole item, and nothing may follow the value.
      expect(outcome(bytes.subarray(0, damage.int(bytes.length)), type, run)).toBe("refused");
      expect(outcome(Buffer.concat([bytes, Uint8Array.of(damage.int(256))]), type, run)).toBe("refused");
      for (let i = 0; i < 4; i++) {
        const damaged = Uint8Array.from(bytes);
        damaged[damage.int(damaged.length)] = damage.int(256);
        outcome(damaged, type, run);
      }
    }
  });

  it("says where a truncated value stopped making sense", () => {
    const type: CtyType = ["object", { name: "string", tags: ["list", "string"] }];
    const bytes = encodeMsgpack({ name: "x", tags: ["abc"] }, type);
    expect(() => decodeMsgpack(bytes.subarray(0, bytes.length - 1), type)).toThrow(
      expect.objectContaining({ name: "CodecError", path: [{ attr: "tags" }, { index: 0 }] }),
    );
  });
});
