// The rules around each managed-resource RPC: decode with the resource's schema, call it, hold its answer to
// Terraform core's rules (a failed apply keeps what exists, a read never drops state on an error, values
// come back wholly known and consistent with the plan), and encode the answer.
import { type CtyObject, isWhollyKnown } from "../../schema/cty";
import { impliedType } from "../../schema/declaration";
import { type Diagnostic, DiagnosticError, error, hasErrors } from "../../schema/diagnostics";
import type { Path } from "../../schema/path";
import type { OperationContext, ResourceDefinition, ResourceResult } from "../definition";
import { checkAppliedAgainstPlan, checkPlanAgainstConfig } from "./consistency";
import { planWithSchema } from "./planning";
import { requireConfigShape, requireKnownState, requireKnownWhereConfigured, requireProposalFollowsConfig } from "./request-checks";
import { errorsOnceKnown } from "./validation";
import type {
  ApplyResourceChangeAnswer,
  ApplyResourceChangeRequest,
  ImportResourceStateAnswer,
  PlanResourceChangeAnswer,
  PlanResourceChangeRequest,
  ReadResourceAnswer,
  ReadResourceRequest,
  UpgradeResourceStateAnswer,
  UpgradeResourceStateRequest,
} from "./requests";
import {
  NULL_MSGPACK,
  decodeNullableObject,
  decodeNullableObjectAgain,
  decodeStoredState,
  encodeObject,
  encodeObjectAsSent,
  nullWriteOnly,
} from "./value-codec";

/** Who is calling: the provider's name for messages and the operation context for the resource. */
export interface ResourceCall<Session> {
  readonly resource: ResourceDefinition<Session>;
  readonly provider: string;
  readonly context: OperationContext<Session>;
}

export function upgradeResourceState<S>(resource: ResourceDefinition<S>, req: UpgradeResourceStateRequest): UpgradeResourceStateAnswer {
  const { typeName, version, rawState } = req;
  const current = resource.schema.version;
  if (version > current) {
    throw new DiagnosticError(error("Resource state is from a newer provider",
      `The state of this ${typeName} was written at schema version ${version}; this provider understands up to ${current}. Upgrade the provider.`));
  }
  if (!rawState.json || rawState.json.length === 0) {
    if (rawState.flatmap && Object.keys(rawState.flatmap).length > 0) {
      throw new DiagnosticError(error("Unsupported legacy state",
        `This ${typeName} state uses the pre-0.12 flatmap format, which this provider never wrote.`));
    }
    return { upgradedState: NULL_MSGPACK, diagnostics: [] };
  }
  const diagnostics: Diagnostic[] = [];
  let state: CtyObject;
  if (version < current) {
    const upgrader = resource.stateUpgraders?.[version];
    if (!upgrader) {
      throw new DiagnosticError(error("Cannot upgrade resource state", `No upgrade path from version ${version} of ${typeName}.`));
    }
    // Decoded with the old type: attributes the current schema dropped are what an upgrader needs most.
    const upgraded = upgrader.upgrade(decodeStoredState(rawState.json, upgrader.priorType));
    diagnostics.push(...(upgraded.diagnostics ?? []));
    if (!upgraded.value) return { diagnostics };
    state = upgraded.value;
  } else {
    state = decodeStoredState(rawState.json, impliedType(resource.schema.block));
  }
  nullWriteOnly(resource.schema.block, state);
  return { upgradedState: encodeObject(state, resource.schema.block), diagnostics };
}

export async function readResource<S>(call: ResourceCall<S>, req: ReadResourceRequest): Promise<ReadResourceAnswer> {
  const { resource } = call;
  const block = resource.schema.block;
  const state = decodeNullableObject(req.currentState, block, "current state");
  if (state === null) return { newState: NULL_MSGPACK, diagnostics: [] };
  requireKnownState(state, "current state");
  const result = await resource.read(req.private.length > 0 ? { state, private: req.private } : { state }, call.context);
  const diagnostics = [...(result.diagnostics ?? [])];
  // An error without a value keeps the existing state, never drops it.
  if (result.value === undefined) return { newState: encodeObject(state, block), private: req.private, diagnostics };
  if (result.value === null) return { newState: NULL_MSGPACK, diagnostics };
  nullWriteOnly(block, result.value);
  if (!isWhollyKnown(result.value)) {
    diagnostics.push(error("Provider returned unknown values after read",
      `The ${call.provider} provider left values of ${req.typeName} unknown. This is a bug in the provider.`));
    return { newState: encodeObject(state, block), private: req.private, diagnostics };
  }
  return { newState: encodeObjectAsSent(result.value, block, req.currentState, state), private: result.private ?? req.private, diagnostics };
}

export async function planResourceChange<S>(call: ResourceCall<S>, req: PlanResourceChangeRequest): Promise<PlanResourceChangeAnswer> {
  const { resource, context } = call;
  const block = resource.schema.block;
  const prior = decodeNullableObject(req.priorState, block, "prior state");
  const proposed = decodeNullableObjectAgain(req.proposedNewState, block, "proposed new state", req.priorState, prior);
  const config = decodeNullableObject(req.config, block, "configuration");
  requireKnownState(prior, "prior state");
  if (config !== null) requireConfigShape(block, config, "configuration", { known: false });
  if (proposed !== null && config !== null) requireProposalFollowsConfig(block, prior, config, proposed, "proposed new state");
  if (proposed === null || config === null) {
    // Destroy: the plan must be null; the resource may still veto it with diagnostics.
    const veto = await resource.modifyPlan?.({ prior, config: null, planned: null }, context);
    // Terraform hands the destroy's apply what this plan returns as private, not what state holds: keep it.
    return { plannedState: NULL_MSGPACK, requiresReplace: [], plannedPrivate: req.priorPrivate, diagnostics: veto?.diagnostics ?? [] };
  }
  const generic = planWithSchema(block, prior, proposed, config);
  const diagnostics = [...generic.diagnostics];
  let planned = generic.planned;
  const requiresReplace = [...generic.requiresReplace];
  if (resource.modifyPlan) {
    const custom = await resource.modifyPlan({ prior, config, planned, requiresReplace: prior === null ? [] : generic.requiresReplace }, context);
    diagnostics.push(...(custom.diagnostics ?? []));
    if (custom.planned) planned = custom.planned;
    requiresReplace.push(...(custom.requiresReplace ?? []));
  }
  diagnostics.push(...checkPlanAgainstConfig(call.provider, block, prior, config, planned));
  return {
    plannedState: encodeObjectAsSent(planned, block, req.priorState, prior),
    requiresReplace: prior === null ? [] : distinctPaths(requiresReplace),
    plannedPrivate: req.priorPrivate,
    diagnostics,
  };
}

export async function applyResourceChange<S>(call: ResourceCall<S>, req: ApplyResourceChangeRequest): Promise<ApplyResourceChangeAnswer> {
  const { resource, context } = call;
  const block = resource.schema.block;
  const prior = decodeNullableObject(req.priorState, block, "prior state");
  const planned = decodeNullableObject(req.plannedState, block, "planned state");
  const config = decodeNullableObject(req.config, block, "configuration");
  requireKnownState(prior, "prior state");
  if (planned !== null) {
    if (config !== null) {
      requireConfigShape(block, config, "configuration", { known: true });
      requireProposalFollowsConfig(block, prior, config, planned, "planned state");
    }
    requireKnownWhereConfigured(block, planned, "planned state");
  }
  if (planned === null) {
    if (prior === null) return { newState: NULL_MSGPACK, diagnostics: [] };
    const result = await resource.delete(req.plannedPrivate.length > 0 ? { prior, private: req.plannedPrivate } : { prior }, context);
    const diagnostics = result.diagnostics ?? [];
    // A failed delete keeps the object in state, with its private state.
    if (hasErrors(diagnostics)) return { newState: encodeObject(prior, block), private: req.plannedPrivate, diagnostics };
    return { newState: NULL_MSGPACK, diagnostics };
  }
  const known = config ?? planned;
  const invalid = errorsOnceKnown(block, known, resource.validateConfig && ((c) => resource.validateConfig!(c, context)));
  if (invalid.length > 0) {
    return { newState: prior === null ? NULL_MSGPACK : encodeObject(prior, block), private: req.plannedPrivate, diagnostics: invalid };
  }
  const result: ResourceResult<CtyObject> = prior === null
    ? await resource.create({ planned, config: config ?? planned }, context)
    : await resource.update({ prior, planned, config: config ?? planned }, context);
  const diagnostics = [...(result.diagnostics ?? [])];
  const privateState = result.private ?? req.plannedPrivate;
  if (!result.value) {
    return { newState: prior === null ? NULL_MSGPACK : encodeObject(prior, block), private: privateState, diagnostics };
  }
  nullWriteOnly(block, result.value);
  if (!isWhollyKnown(result.value)) {
    diagnostics.push(error("Provider left values unknown after apply",
      `The ${call.provider} provider did not set every value of ${req.typeName}. This is a bug in the provider.`));
  } else if (!hasErrors(diagnostics)) {
    // Like Terraform: a failed apply records what exists, which may well differ from the plan.
    diagnostics.push(...checkAppliedAgainstPlan(call.provider, block, planned, result.value));
  }
  return { newState: encodeObject(result.value, block), private: privateState, diagnostics };
}

export async function importResourceState<S>(call: ResourceCall<S>, id: string): Promise<ImportResourceStateAnswer> {
  const { resource } = call;
  if (!resource.importState) throw new DiagnosticError(error("Import not supported", `${resource.typeName} cannot be imported.`));
  const result = await resource.importState(id, call.context);
  if (!result.value) return { imported: [], diagnostics: result.diagnostics ?? [] };
  nullWriteOnly(resource.schema.block, result.value);
  return {
    imported: [{ typeName: resource.typeName, state: encodeObject(result.value, resource.schema.block) }],
    diagnostics: result.diagnostics ?? [],
  };
}

function distinctPaths(paths: Path[]): Path[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const k = JSON.stringify(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
