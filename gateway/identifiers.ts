// The Gateway's identifiers: ids are UUIDs (either letter case accepted, lowercase answered), usernames follow
// the users service's rule. One check each, for the provider's validation and the local Gateway alike.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export const USERNAME_PATTERN = /^[a-z0-9_-]+$/;
export const USERNAME_MAX_LENGTH = 32;

export function isValidUsername(username: string): boolean {
  return username.length <= USERNAME_MAX_LENGTH && USERNAME_PATTERN.test(username);
}
