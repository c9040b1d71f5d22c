// connect encodes every answer with @bufbuild/protobuf's reflective toBinary: for ListAPITokens (21 tokens, each
// with its Timestamps) a fifth of the local Gateway's CPU per call. What an answer repeats from call to call is
// encoded once here and handed over as the answer's unknown fields, which toBinary copies byte for byte after the
// known ones: the bytes on the wire are exactly those toBinary writes for the full message (a test compares them).
// Only a caller speaking binary protobuf gets such an answer: JSON has no unknown fields.
import { type DescMessage, type MessageShape, type UnknownField, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import type { HandlerContext } from "@connectrpc/connect";

// The content types (Connect unary and streaming, gRPC) whose messages connect encodes in binary. Anything else,
// JSON among it, is answered with the ordinary message.
const BINARY_CONTENT_TYPES = new Set(["application/proto", "application/connect+proto", "application/grpc", "application/grpc+proto"]);

/** Whether connect will encode this call's answer as binary protobuf. */
export function answersInBinary(ctx: HandlerContext): boolean {
  return BINARY_CONTENT_TYPES.has(ctx.requestHeader.get("content-type")?.trim().toLowerCase() ?? "");
}

/** The fields `message` sets, in the order toBinary writes them, each already encoded. */
export function encodedFields<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): readonly UnknownField[] {
  // Read back with a schema that has no fields (Empty), every field comes out as an unknown one, as it was written.
  return fromBinary(EmptySchema, toBinary(schema, message)).$unknown ?? [];
}

/** A message of `schema` that sets none of its fields itself and is encoded as `fields`, in this order. */
export function messageOfEncodedFields<Desc extends DescMessage>(schema: Desc, fields: UnknownField[]): MessageShape<Desc> {
  const message = create(schema);
  message.$unknown = fields;
  return message;
}
