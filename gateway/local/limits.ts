// What the local Gateway accepts at most. The platform stores these fields as unbounded text; a stand-in that
// anyone on the network may reach needs bounds, set well above anything the provider or a person would send.
import { Code, ConnectError } from "@connectrpc/connect";

/** Largest request body read, in bytes: a full BatchGetUsers (100 ids) is about 4 KiB, any request here far less than this. */
export const REQUEST_MAX_BYTES = 64 * 1024;

/** Longest accepted text per request field, in characters (Unicode code points). */
export const TEXT_LIMITS = {
  /** OpenID Connect Core 1.0, section 2: `sub` must not exceed 255 ASCII characters. */
  oidc_subject: 255,
  /** A user's display name, and an API token's name (the provider's `description`). */
  name: 1024,
  nickname: 1024,
  /** RFC 5321 bounds the local part (64) and domain (255) of an address. */
  email: 320,
  photo_url: 2048,
  /** Longer than any name, so a longer prefix could never match. */
  prefix: 1024,
} as const;

export type LimitedField = keyof typeof TEXT_LIMITS;

/** invalid_argument when `value` is longer than its field allows; undefined passes (the field was not sent). */
export function checkTextLength(field: LimitedField, value: string | undefined): void {
  if (value === undefined) return;
  const limit = TEXT_LIMITS[field];
  // UTF-16 length is an upper bound on code points: only count when it could be over.
  if (value.length <= limit) return;
  const characters = countCodePoints(value);
  if (characters > limit) {
    throw new ConnectError(`${field} must be at most ${limit} characters (got ${characters})`, Code.InvalidArgument);
  }
}

function countCodePoints(value: string): number {
  let count = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // A high surrogate followed by a low one is one character.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < value.length) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    count++;
  }
  return count;
}
