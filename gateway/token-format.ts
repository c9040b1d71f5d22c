// The agyn API token format, as the real users service mints and stores tokens. Shared by the local
// Gateway and the provider (shape warnings, self-revoke guard, redaction), so it depends on nothing but
// node:crypto.
import * as crypto from "node:crypto";

export const API_TOKEN_PREFIX = "agyn_";
/** Base62 digits in the order the users service uses: digits, upper case, lower case. */
export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const API_TOKEN_ENTROPY_BYTES = 32;
export const API_TOKEN_BODY_LENGTH = 44;
export const API_TOKEN_LENGTH = API_TOKEN_PREFIX.length + API_TOKEN_BODY_LENGTH;
/** `token_prefix` as reported by ListAPITokens: the first 8 characters of the plaintext. */
export const TOKEN_PREFIX_LENGTH = 8;
export const API_TOKEN_PATTERN = /^agyn_[0-9A-Za-z]{44}$/;

/**
 * Token-shaped text, truncated tokens included, for redaction: "agyn_" (the capture group, which stays
 * readable) and 4 or more base62 digits with at least one digit or capital — anything longer than the
 * public 8-character prefix (`agyn_` + 3), which stays readable. Names such as agyn_api_token do not match,
 * nor does a lowercase-only word (agyn_nonexistent, a type name); a real token's body starts with its
 * padding 0, so every piece of one longer than the prefix does match.
 */
export const API_TOKEN_SECRET_SHAPE = /(agyn_)(?=[a-z]*[0-9A-Z])[0-9A-Za-z]{4,}/;

/** 32 random bytes read as a big-endian integer, written in base62 and left-padded to 44 digits. */
export function generateApiToken(): string {
  return formatApiToken(crypto.randomBytes(API_TOKEN_ENTROPY_BYTES));
}

export function formatApiToken(entropy: Uint8Array): string {
  if (entropy.length !== API_TOKEN_ENTROPY_BYTES) throw new RangeError(`expected ${API_TOKEN_ENTROPY_BYTES} bytes`);
  return API_TOKEN_PREFIX + encodeBase62(entropy).padStart(API_TOKEN_BODY_LENGTH, "0");
}

export function encodeBase62(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  let digits = "";
  while (value > 0n) {
    digits = BASE62_ALPHABET[Number(value % 62n)] + digits;
    value /= 62n;
  }
  return digits;
}

// crypto.hash (Node 20.12 and later) is the one-shot form, about 3x faster than a Hash object: the local Gateway hashes
// the bearer token of every request.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: "hex") => string }).hash;

/** What the users service stores: lowercase hex SHA-256 of the whole plaintext, prefix included. */
export function hashApiToken(plaintext: string): string {
  if (oneShotHash) return oneShotHash("sha256", plaintext, "hex");
  return crypto.createHash("sha256").update(plaintext, "utf8").digest("hex");
}

export function tokenPrefix(plaintext: string): string {
  return plaintext.slice(0, TOKEN_PREFIX_LENGTH);
}

export function looksLikeApiToken(value: string): boolean {
  return API_TOKEN_PATTERN.test(value);
}
