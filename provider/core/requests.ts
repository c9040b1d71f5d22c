// The core's model of each RPC: what the protocol adapters hand it and what it answers, the same for
// protocols 5 and 6. Values are still encoded here (the core decodes them with the schema it routes to).
import type { Diagnostic } from "../../schema/diagnostics";
import type { Path } from "../../schema/path";

/** A DynamicValue as it arrives: Terraform sends msgpack; JSON appears only in raw state. */
export interface RawValue {
  readonly msgpack?: Uint8Array;
  readonly json?: Uint8Array;
}

export interface Diagnosed {
  readonly diagnostics: Diagnostic[];
}

export interface ValidateProviderConfigRequest {
  readonly config: RawValue;
}

export interface ValidateConfigRequest {
  readonly typeName: string;
  readonly config: RawValue;
}

export interface ValidateResourceConfigRequest extends ValidateConfigRequest {
  /** Terraform 1.11+ can handle write-only attributes; older clients must not be sent any. */
  readonly writeOnlyAllowed: boolean;
}

export interface ConfigureRequest {
  readonly terraformVersion: string;
  readonly config: RawValue;
}

export interface UpgradeResourceStateRequest {
  readonly typeName: string;
  readonly version: number;
  readonly rawState: { readonly json?: Uint8Array; readonly flatmap?: Readonly<Record<string, string>> };
}
export interface UpgradeResourceStateAnswer extends Diagnosed {
  readonly upgradedState?: Uint8Array;
}

export interface ReadResourceRequest {
  readonly typeName: string;
  readonly currentState: RawValue;
  readonly private: Uint8Array;
}
export interface ReadResourceAnswer extends Diagnosed {
  readonly newState?: Uint8Array;
  readonly private?: Uint8Array;
}

export interface PlanResourceChangeRequest {
  readonly typeName: string;
  readonly priorState: RawValue;
  readonly proposedNewState: RawValue;
  readonly config: RawValue;
  readonly priorPrivate: Uint8Array;
}
export interface PlanResourceChangeAnswer extends Diagnosed {
  readonly plannedState?: Uint8Array;
  readonly requiresReplace: Path[];
  readonly plannedPrivate?: Uint8Array;
}

export interface ApplyResourceChangeRequest {
  readonly typeName: string;
  readonly priorState: RawValue;
  readonly plannedState: RawValue;
  readonly config: RawValue;
  readonly plannedPrivate: Uint8Array;
}
export interface ApplyResourceChangeAnswer extends Diagnosed {
  readonly newState?: Uint8Array;
  readonly private?: Uint8Array;
}

export interface ImportResourceStateRequest {
  readonly typeName: string;
  readonly id: string;
}
export interface ImportResourceStateAnswer extends Diagnosed {
  readonly imported: { readonly typeName: string; readonly state: Uint8Array }[];
}

export interface ReadDataSourceRequest {
  readonly typeName: string;
  readonly config: RawValue;
}
export interface ReadDataSourceAnswer extends Diagnosed {
  readonly state?: Uint8Array;
}

export interface OpenEphemeralResourceRequest {
  readonly typeName: string;
  readonly config: RawValue;
}
export interface OpenEphemeralResourceAnswer extends Diagnosed {
  readonly result?: Uint8Array;
  readonly renewAt?: Date;
  readonly private?: Uint8Array;
}

export interface EphemeralPrivateRequest {
  readonly typeName: string;
  readonly private?: Uint8Array;
}
export interface RenewEphemeralResourceAnswer extends Diagnosed {
  readonly renewAt?: Date;
  readonly private?: Uint8Array;
}
