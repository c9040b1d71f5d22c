// connect encodes every answer with @bufbuild/protobuf's reflective toBinary: for ListAPITokens (21 tokens, each
// with its Timestamps) a fifth of the local Gateway's CPU per call. What an answer repeats from call to call is
// encoded once here and handed over as the answer's unknown fields, which toBinary copies byte for byte after the
// known ones: the bytes on the wire are exactly those toBinary writes for the full message (a test compares them).
// Only a caller speaking binary protobuf gets such an answer: JSON has no unknown fields.
import { type DescMessage, type MessageShape, type UnknownField, create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { EmptySchema, type Timestamp, TimestampSchema } from "@bufbuild/protobuf/wkt";
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

/**
 * The same fields as one entry. toBinary writes each unknown field as its tag and then its data, so an entry whose
 * data carries the next fields' tags as well comes out as the same bytes. toBinary's writer starts at 128 bytes and
 * grows by doubling, copying what it has at every step: with ListAPITokens' 21 tokens appended one by one that was
 * 7% of the call's CPU. Joined here into one array of the right size, they are appended as one piece: one growth.
 */
export function joinedFields(fields: readonly UnknownField[]): UnknownField[] {
  if (fields.length < 2) return [...fields];
  let size = fields[0].data.length;
  for (let i = 1; i < fields.length; i++) size += tagBytes(fields[i]).length + fields[i].data.length;
  const data = new Uint8Array(size);
  data.set(fields[0].data, 0);
  let at = fields[0].data.length;
  for (let i = 1; i < fields.length; i++) {
    const tag = tagBytes(fields[i]);
    data.set(tag, at);
    data.set(fields[i].data, at + tag.length);
    at += tag.length + fields[i].data.length;
  }
  return [{ no: fields[0].no, wireType: fields[0].wireType, data }];
}

const tags = new Map<number, Uint8Array>();

/** A field's tag as toBinary writes it, encoded once per field number and wire type. */
function tagBytes(field: UnknownField): Uint8Array {
  const key = field.no * 8 + field.wireType;
  let tag = tags.get(key);
  if (!tag) {
    tag = new BinaryWriter().tag(field.no, field.wireType).finish();
    tags.set(key, tag);
  }
  return tag;
}

/**
 * Field `no`, a message, as toBinary writes it (tag aside): the message's bytes are `parts` joined, each part some of
 * its fields already encoded, in the order toBinary writes them (by field number). So a message whose last field
 * changes from call to call need not have its other fields encoded again.
 */
export function encodedMessageField(no: number, parts: readonly Uint8Array[]): UnknownField {
  const writer = new BinaryWriter().fork();
  for (const part of parts) writer.raw(part);
  return { no, wireType: WireType.LengthDelimited, data: writer.join().finish() };
}

/**
 * Field `no`, a google.protobuf.Timestamp, tag included, as toBinary writes it (seconds, then nanos, each left out
 * when zero): toBinary's reflection over a message holding just this field cost more than the rest of the answer.
 */
export function encodedTimestampField(no: number, timestamp: Timestamp): Uint8Array {
  const writer = new BinaryWriter().tag(no, WireType.LengthDelimited).fork();
  if (timestamp.seconds !== 0n) writer.tag(TimestampSchema.field.seconds.number, WireType.Varint).int64(timestamp.seconds);
  if (timestamp.nanos !== 0) writer.tag(TimestampSchema.field.nanos.number, WireType.Varint).int32(timestamp.nanos);
  return writer.join().finish();
}
