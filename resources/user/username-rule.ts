// The Gateway's username rule (gateway/identifiers.ts: ^[a-z0-9_-]+$, at most 32 characters) as a validator
// shared by resource "agyn_user" (what may be stored) and data "agyn_user" (what may be looked up): a value
// that cannot be a username is refused at its argument before any Gateway call.
import { isValidUsername } from "../../gateway/identifiers";
import type { Validator } from "../../schema/declaration";
import { quoted } from "../../schema/diagnostics";
import { check } from "../../schema/validators";

/** "" is left to each argument's own empty-value check, which knows what an empty string means there. */
export const usernameValidator: Validator = check("lowercase letters, digits, _ and -, at most 32 characters", (v) => {
  if (v === "" || isValidUsername(v)) return undefined;
  const lower = v.toLowerCase();
  const hint = lower !== v && isValidUsername(lower) ? ` Usernames are lower case: did you mean ${quoted(lower)}?` : "";
  return `${quoted(v)} is not a valid username: use 1 to 32 lowercase letters, digits, "_" or "-" (the Gateway's rule ^[a-z0-9_-]+$).${hint}`;
}, "Invalid username");
