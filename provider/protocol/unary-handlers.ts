// A handler for each unary method of a generated service, typed by the method's own request and response
// messages — so an adapter that maps a renamed or retyped field fails to compile.
import type { DescService, MessageInitShape, MessageShape } from "@bufbuild/protobuf";

type Methods<Service extends DescService> = Service["method"];

export type UnaryHandlers<Service extends DescService> = {
  [Method in keyof Methods<Service>]?: (
    request: MessageShape<Methods<Service>[Method]["input"]>,
  ) => Promise<MessageInitShape<Methods<Service>[Method]["output"]>>;
};

/**
 * Structural typing lets an answer carry a field its response message does not have (a field renamed in one
 * protocol version would then be dropped silently); this names such a field as a compile error instead.
 */
type NoUnknownFields<Service extends DescService, Handlers> = {
  [Method in keyof Handlers]: Method extends keyof Methods<Service>
    ? Handlers[Method] extends (request: never) => Promise<infer Answer>
      ? Exclude<keyof Answer, keyof MessageShape<Methods<Service>[Method]["output"]>> extends never
        ? Handlers[Method]
        : `answer has a field the response message lacks: ${Exclude<keyof Answer, keyof MessageShape<Methods<Service>[Method]["output"]>> & string}`
      : Handlers[Method]
    : `no such method: ${Method & string}`;
};

export function unaryHandlers<Service extends DescService, Handlers extends UnaryHandlers<Service>>(
  _service: Service,
  handlers: Handlers & NoUnknownFields<Service, Handlers>,
): UnaryHandlers<Service> {
  return handlers;
}
