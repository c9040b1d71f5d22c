// How the users service derives a username when none is given (the rule itself is in ../identifiers.ts).
import { createHash } from "node:crypto";
import { USERNAME_MAX_LENGTH } from "../identifiers";

/** The base a username is derived from: the name folded to the allowed alphabet, else `user-<8 hex>`. */
export function usernameBase(name: string | undefined, oidcSubject: string): string {
  const fromName = (name ?? "")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // drop accents left over by NFKD: "José" → "jose"
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, USERNAME_MAX_LENGTH)
    .replace(/-+$/, "");
  if (fromName !== "") return fromName;
  return `user-${createHash("sha256").update(oidcSubject, "utf8").digest("hex").slice(0, 8)}`;
}

/** First free candidate among base, base-2, base-3 …, each cut to fit the length limit. */
export function deriveUsername(name: string | undefined, oidcSubject: string, taken: (candidate: string) => boolean): string {
  const base = usernameBase(name, oidcSubject);
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = base.slice(0, USERNAME_MAX_LENGTH - suffix.length) + suffix;
    if (!taken(candidate)) return candidate;
  }
}
