// Ephemeral resources: Open returns a value Terraform never stores; the private bytes it returns are all
// Renew and Close get (the configuration may be gone by then).
import type { EphemeralResourceDefinition, OperationContext } from "../definition";
import type {
  Diagnosed,
  EphemeralPrivateRequest,
  OpenEphemeralResourceAnswer,
  OpenEphemeralResourceRequest,
  RenewEphemeralResourceAnswer,
} from "./requests";
import { errorsOnceKnown } from "./validation";
import { decodeObject, encodeObject } from "./value-codec";

export interface EphemeralCall<S> {
  readonly ephemeral: EphemeralResourceDefinition<S>;
  readonly context: OperationContext<S>;
}

export async function openEphemeralResource<S>(call: EphemeralCall<S>, req: OpenEphemeralResourceRequest): Promise<OpenEphemeralResourceAnswer> {
  const block = call.ephemeral.schema.block;
  const config = decodeObject(req.config, block, "configuration");
  const invalid = errorsOnceKnown(block, config, call.ephemeral.validateConfig && ((c) => call.ephemeral.validateConfig!(c, call.context)));
  if (invalid.length > 0) return { diagnostics: invalid };
  const opened = await call.ephemeral.open({ config }, call.context);
  const diagnostics = [...(opened.diagnostics ?? [])];
  if (!opened.result) return { diagnostics, private: opened.private };
  return { result: encodeObject(opened.result, block), renewAt: opened.renewAt, private: opened.private, diagnostics };
}

export async function renewEphemeralResource<S>(call: EphemeralCall<S>, req: EphemeralPrivateRequest): Promise<RenewEphemeralResourceAnswer> {
  if (!call.ephemeral.renew) return { private: req.private, diagnostics: [] };
  const renewed = await call.ephemeral.renew({ private: req.private }, call.context);
  return { renewAt: renewed.renewAt, private: renewed.private, diagnostics: renewed.diagnostics ?? [] };
}

export async function closeEphemeralResource<S>(call: EphemeralCall<S>, req: EphemeralPrivateRequest): Promise<Diagnosed> {
  const closed = await call.ephemeral.close?.({ private: req.private }, call.context);
  return { diagnostics: closed?.diagnostics ?? [] };
}
