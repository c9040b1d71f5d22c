// What UpdateUser sends: only what differs between the current state and the plan.
import type { UserChanges } from "../../gateway/records";
import type { UserApply, UserState } from "./user-schema";
import { clusterRoleFromName } from "./user-state";

/**
 * A value removed from the configuration is sent as "" — the Gateway's "not set" — so clearing really clears;
 * an unknown (computed) username is left alone. Undefined when nothing changes.
 */
export function changes(current: UserState, planned: UserApply): UserChanges | undefined {
  const patch: { -readonly [K in keyof UserChanges]: UserChanges[K] } = {};
  const cleared = (value: string | null) => value ?? "";
  if (planned.name !== current.name) patch.name = cleared(planned.name);
  if (planned.email !== current.email) patch.email = cleared(planned.email);
  if (planned.photo_url !== current.photo_url) patch.photoUrl = cleared(planned.photo_url);
  if (typeof planned.username === "string" && planned.username !== current.username) patch.username = planned.username;
  if (typeof planned.cluster_role === "string" && planned.cluster_role !== current.cluster_role) {
    patch.clusterRole = clusterRoleFromName(planned.cluster_role);
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
