// Registers a protobuf-es service descriptor on a grpc-js server. Methods without a handler answer
// UNIMPLEMENTED, which Terraform tolerates for optional RPCs (e.g. GetResourceIdentitySchemas). A handler
// that throws anyway is answered with an error diagnostic where the response has room for one: the one
// place every RPC passes, so none can turn a bug into a gRPC error.
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescMethod, type DescService } from "@bufbuild/protobuf";
import type { Logger } from "../logging/logger";
import { redactSecrets } from "../logging/secret-redaction";
import type { UnaryHandlers } from "./unary-handlers";

type AnyHandler = (request: unknown) => Promise<unknown>;

export function addUnaryService<Service extends DescService>(
  server: grpc.Server,
  service: Service,
  handlers: UnaryHandlers<Service>,
  log: Logger,
): void {
  const byName = handlers as Readonly<Record<string, AnyHandler | undefined>>;
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of service.methods) {
    definition[method.name] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: (m: unknown) => asBuffer(toBinary(method.input, m as never)),
      requestDeserialize: (b: Buffer) => fromBinary(method.input, b),
      responseSerialize: (m: unknown) => asBuffer(toBinary(method.output, m as never)),
      responseDeserialize: (b: Buffer) => fromBinary(method.output, b),
    };
    const handler = byName[method.localName];
    if (method.methodKind !== "unary") {
      implementation[method.name] = ((call: grpc.ServerWritableStream<unknown, unknown>) =>
        call.destroy(Object.assign(new Error(`${method.name} is not implemented`), { code: grpc.status.UNIMPLEMENTED }))) as grpc.UntypedHandleCall;
      continue;
    }
    if (!handler) {
      implementation[method.name] = ((_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: `${method.name} is not implemented by this provider` })) as grpc.handleUnaryCall<unknown, unknown>;
      continue;
    }
    implementation[method.name] = ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const started = process.hrtime.bigint();
      log.trace("received request", { rpc: method.name });
      handler(call.request).then(
        (response) => {
          log.trace("served request", { rpc: method.name, duration_ms: Number(process.hrtime.bigint() - started) / 1e6 });
          callback(null, create(method.output, response as never));
        },
        (err: unknown) => {
          // The core turns failures into diagnostics; reaching this is a bug, still never a crash or a leak.
          const message = redactSecrets(err instanceof Error ? err.message : String(err));
          log.error("request failed", { rpc: method.name, error: message });
          const answer = diagnosticAnswer(method, message);
          if (answer) callback(null, answer);
          else callback({ code: grpc.status.INTERNAL, details: message });
        },
      );
    }) as grpc.handleUnaryCall<unknown, unknown>;
  }
  server.addService(definition as grpc.ServiceDefinition, implementation);
}

/** The encoded bytes as the Buffer grpc-js wants, without copying them (Buffer.from(Uint8Array) would). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The method's response carrying one error diagnostic, when it has a `diagnostics` field. */
function diagnosticAnswer(method: DescMethod, message: string): unknown {
  if (!method.output.fields.some((f) => f.localName === "diagnostics")) return undefined;
  return create(method.output, {
    diagnostics: [{ severity: 1, summary: `Unexpected error in ${method.name}`,
      detail: `The provider failed unexpectedly: ${message}. This is a bug in the provider; please report it with the TF_LOG=debug output.` }],
  } as never);
}
