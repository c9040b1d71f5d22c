import { createHash, randomBytes } from "node:crypto";
import {
  API_TOKEN_LENGTH,
  API_TOKEN_PATTERN,
  BASE62_ALPHABET,
  encodeBase62,
  formatApiToken,
  generateApiToken,
  hashApiToken,
  looksLikeApiToken,
  tokenPrefix,
} from "../../gateway/token-format";

function decodeBase62(digits: string): bigint {
  let value = 0n;
  for (const digit of digits) value = value * 62n + BigInt(BASE62_ALPHABET.indexOf(digit));
  return value;
}

function bigEndian(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
}

describe("agyn API token format", () => {
  test("a generated token is agyn_ plus 44 base62 characters", () => {
    const token = generateApiToken();
    expect(token).toHaveLength(49);
    expect(API_TOKEN_LENGTH).toBe(49);
    expect(token.startsWith("agyn_")).toBe(true);
    expect(token.slice(5)).toMatch(/^[0-9A-Za-z]{44}$/);
    expect(API_TOKEN_PATTERN.test(token)).toBe(true);
    expect(looksLikeApiToken(token)).toBe(true);
  });

  test("base62 alphabet is digits, then upper case, then lower case", () => {
    expect(BASE62_ALPHABET).toBe("0123456789" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "abcdefghijklmnopqrstuvwxyz");
    expect(encodeBase62(Uint8Array.of(61))).toBe("z");
    expect(encodeBase62(Uint8Array.of(62))).toBe("10");
    expect(encodeBase62(Uint8Array.of(0, 0, 36))).toBe("a");
    expect(encodeBase62(Uint8Array.of(1, 0))).toBe("48"); // 256 = 4·62 + 8
  });

  test("the body is the big-endian integer of the 32 bytes, left-padded with 0 to 44 digits", () => {
    expect(formatApiToken(new Uint8Array(32))).toBe(`agyn_${"0".repeat(44)}`);
    const one = new Uint8Array(32);
    one[31] = 1;
    expect(formatApiToken(one)).toBe(`agyn_${"0".repeat(43)}1`);
    // The largest value needs 43 digits, so every token starts its body with a padding zero.
    const max = formatApiToken(new Uint8Array(32).fill(0xff));
    expect(max).toHaveLength(49);
    expect(max[5]).toBe("0");
    expect(decodeBase62(max.slice(5))).toBe(2n ** 256n - 1n);
    for (let i = 0; i < 50; i++) {
      const bytes = randomBytes(32);
      const token = formatApiToken(bytes);
      expect(token).toMatch(API_TOKEN_PATTERN);
      expect(decodeBase62(token.slice(5))).toBe(bigEndian(bytes));
    }
    expect(() => formatApiToken(new Uint8Array(16))).toThrow(RangeError);
  });

  test("tokens are unique", () => {
    const tokens = new Set(Array.from({ length: 2000 }, generateApiToken));
    expect(tokens.size).toBe(2000);
  });

  test("the stored hash is lowercase hex SHA-256 of the whole plaintext, prefix included", () => {
    const token = generateApiToken();
    const hash = hashApiToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(hash).not.toBe(createHash("sha256").update(token.slice(5)).digest("hex"));
  });

  test("the token prefix is the first 8 characters", () => {
    const token = generateApiToken();
    expect(tokenPrefix(token)).toBe(token.slice(0, 8));
    expect(tokenPrefix(token)).toHaveLength(8);
    expect(tokenPrefix(token).startsWith("agyn_")).toBe(true);
  });

  test("looksLikeApiToken accepts only the exact shape", () => {
    const token = generateApiToken();
    expect(looksLikeApiToken(token)).toBe(true);
    expect(looksLikeApiToken(`${token}x`)).toBe(false);
    expect(looksLikeApiToken(token.slice(0, -1))).toBe(false);
    expect(looksLikeApiToken(` ${token}`)).toBe(false);
    expect(looksLikeApiToken(token.replace("agyn_", "AGYN_"))).toBe(false);
    expect(looksLikeApiToken(`${token.slice(0, -1)}-`)).toBe(false);
    expect(looksLikeApiToken("")).toBe(false);
  });
});
