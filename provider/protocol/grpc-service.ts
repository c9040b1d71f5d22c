// Registers a protobuf-es service descriptor on a grpc-js server. Methods without a handler answer
// UNIMPLEMENTED, which Terraform tolerates for optional RPCs (e.g. GetResourceIdentitySchemas).
import * as grpc from "@grpc/grpc-js";
import { create, fromBinary, toBinary, type DescService } from "@bufbuild/protobuf";
import type { Logger } from "../logging/logger";
import { redactSecrets } from "../logging/secret-redaction";

// Request and response messages are handled structurally by the adapters; the descriptor types them on the wire.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UnaryHandler = (request: any, call: grpc.ServerUnaryCall<unknown, unknown>) => Promise<object>;

export function addUnaryService(
  server: grpc.Server,
  service: DescService,
  handlers: Readonly<Record<string, UnaryHandler>>,
  log: Logger,
): void {
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  const implementation: grpc.UntypedServiceImplementation = {};
  for (const method of service.methods) {
    definition[method.name] = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: method.methodKind === "client_streaming" || method.methodKind === "bidi_streaming",
      responseStream: method.methodKind === "server_streaming" || method.methodKind === "bidi_streaming",
      requestSerialize: (m: unknown) => Buffer.from(toBinary(method.input, m as never)),
      requestDeserialize: (b: Buffer) => fromBinary(method.input, b),
      responseSerialize: (m: unknown) => Buffer.from(toBinary(method.output, m as never)),
      responseDeserialize: (b: Buffer) => fromBinary(method.output, b),
    };
    const handler = handlers[method.name];
    if (!handler || method.methodKind !== "unary") {
      implementation[method.name] = ((_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
        callback({ code: grpc.status.UNIMPLEMENTED, details: `${method.name} is not implemented by this provider` })) as grpc.handleUnaryCall<unknown, unknown>;
      if (method.methodKind !== "unary") {
        implementation[method.name] = ((call: grpc.ServerWritableStream<unknown, unknown>) =>
          call.destroy(Object.assign(new Error(`${method.name} is not implemented`), { code: grpc.status.UNIMPLEMENTED }))) as grpc.UntypedHandleCall;
      }
      continue;
    }
    implementation[method.name] = ((call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const started = process.hrtime.bigint();
      log.trace("received request", { rpc: method.name });
      handler(call.request, call).then(
        (response) => {
          log.trace("served request", { rpc: method.name, duration_ms: Number(process.hrtime.bigint() - started) / 1e6 });
          callback(null, create(method.output, response as never));
        },
        (err: unknown) => {
          // Handlers turn failures into diagnostics; reaching this is a bug, still never a crash or a leak.
          const message = redactSecrets(err instanceof Error ? err.message : String(err));
          log.error("request failed", { rpc: method.name, error: message });
          callback({ code: grpc.status.INTERNAL, details: message });
        },
      );
    }) as grpc.handleUnaryCall<unknown, unknown>;
  }
  server.addService(definition as grpc.ServiceDefinition, implementation);
}
