// Answers handed to connect as already-encoded fields must put on the wire exactly the bytes of the full message,
// and only for callers that speak binary protobuf.
import { create, toBinary } from "@bufbuild/protobuf";
import { type HandlerContext } from "@connectrpc/connect";
import {
  answersInBinary,
  encodedFields,
  encodedMessageField,
  encodedTimestampField,
  joinedFields,
  messageOfEncodedFields,
} from "../../../gateway/local/encoded-answers";
import { timestampFromMicros } from "../../../gateway/local/microseconds";
import { APITokenSchema, ClusterRole, GetMeResponseSchema, ListAPITokensResponseSchema } from "../../../gen/agynio/api/users/v1/users_pb";

const tokens = [
  { id: "1b4e28ba-2fa1-11d2-883f-0016d3cca427", name: "plain", lastUsedAt: 1_764_670_000_123_456n },
  { id: "2b4e28ba-2fa1-11d2-883f-0016d3cca427", name: "Grüße, 東京 🚀", expiresAt: 253_402_300_799_999_999n },
  { id: "3b4e28ba-2fa1-11d2-883f-0016d3cca427", name: "" },
].map(({ id, name, lastUsedAt, expiresAt }) =>
  create(APITokenSchema, {
    id,
    identityId: "9b4e28ba-2fa1-11d2-883f-0016d3cca427",
    name,
    tokenPrefix: "agyn_abcd",
    createdAt: timestampFromMicros(1_764_000_000_000_000n),
    lastUsedAt: lastUsedAt === undefined ? undefined : timestampFromMicros(lastUsedAt),
    expiresAt: expiresAt === undefined ? undefined : timestampFromMicros(expiresAt),
  }),
);

test("a token list assembled from each token's encoded entry is the full list's bytes, in order", () => {
  const full = create(ListAPITokensResponseSchema, { tokens });
  const entries = tokens.map((token) => encodedFields(ListAPITokensResponseSchema, create(ListAPITokensResponseSchema, { tokens: [token] }))[0]);
  expect(entries.every((entry) => entry.no === 1)).toBe(true);
  const assembled = messageOfEncodedFields(ListAPITokensResponseSchema, entries);
  expect(assembled.tokens).toEqual([]);
  expect(Buffer.from(toBinary(ListAPITokensResponseSchema, assembled))).toEqual(Buffer.from(toBinary(ListAPITokensResponseSchema, full)));
  expect(toBinary(ListAPITokensResponseSchema, messageOfEncodedFields(ListAPITokensResponseSchema, []))).toHaveLength(0);
});

test("the token entries joined into one piece put the same bytes on the wire, for none, one and many tokens", () => {
  for (const some of [[], tokens.slice(0, 1), tokens, [...tokens, ...tokens, ...tokens]]) {
    const full = create(ListAPITokensResponseSchema, { tokens: some });
    const entries = some.map((token) => encodedFields(ListAPITokensResponseSchema, create(ListAPITokensResponseSchema, { tokens: [token] }))[0]);
    const joined = joinedFields(entries);
    expect(joined).toHaveLength(Math.min(entries.length, 1));
    const assembled = messageOfEncodedFields(ListAPITokensResponseSchema, joined);
    expect(Buffer.from(toBinary(ListAPITokensResponseSchema, assembled))).toEqual(Buffer.from(toBinary(ListAPITokensResponseSchema, full)));
  }
});

test("a token entry joined from its other fields and its last_used_at, encoded apart, is the entry toBinary writes", () => {
  const lastUsedAtNumber = APITokenSchema.field.lastUsedAt.number;
  const stamps = [1_764_670_000_123_456n, 1_764_670_000_000_000n, 0n, 999n, -1n, -62_135_596_800_000_000n, 253_402_300_799_999_999n];
  for (const token of tokens) {
    for (const micros of stamps) {
      const stamped = create(APITokenSchema, { ...token, lastUsedAt: timestampFromMicros(micros) });
      const [expected] = encodedFields(ListAPITokensResponseSchema, create(ListAPITokensResponseSchema, { tokens: [stamped] }));
      const leading = toBinary(APITokenSchema, create(APITokenSchema, { ...token, lastUsedAt: undefined }));
      const lastUse = encodedTimestampField(lastUsedAtNumber, timestampFromMicros(micros));
      expect(lastUse).toEqual(toBinary(APITokenSchema, create(APITokenSchema, { lastUsedAt: timestampFromMicros(micros) })));
      const joined = encodedMessageField(ListAPITokensResponseSchema.field.tokens.number, [leading, lastUse]);
      expect([micros, Buffer.from(joined.data)]).toEqual([micros, Buffer.from(expected.data)]);
      expect([joined.no, joined.wireType]).toEqual([expected.no, expected.wireType]);
    }
  }
  // The join relies on last_used_at being the field toBinary writes last.
  expect(Math.max(...APITokenSchema.fields.map((field) => field.number))).toBe(lastUsedAtNumber);
});

test("a GetMe answer re-encoded from its fields is its own bytes, for a user and for a cluster admin", () => {
  for (const clusterRole of [ClusterRole.UNSPECIFIED, ClusterRole.ADMIN]) {
    const answer = create(GetMeResponseSchema, {
      user: { meta: { id: tokens[0].identityId, createdAt: timestampFromMicros(1n) }, name: "Zoë", username: "zoe" },
      clusterRole,
    });
    const reencoded = messageOfEncodedFields(GetMeResponseSchema, [...encodedFields(GetMeResponseSchema, answer)]);
    expect(Buffer.from(toBinary(GetMeResponseSchema, reencoded))).toEqual(Buffer.from(toBinary(GetMeResponseSchema, answer)));
  }
});

test("only binary content types get encoded answers; JSON, gRPC JSON and a missing type get the message", () => {
  const ctx = (contentType?: string) =>
    ({ requestHeader: new Headers(contentType === undefined ? {} : { "content-type": contentType }) }) as unknown as HandlerContext;
  for (const binary of ["application/proto", "Application/Proto", "application/connect+proto", "application/grpc", "application/grpc+proto"]) {
    expect([binary, answersInBinary(ctx(binary))]).toEqual([binary, true]);
  }
  for (const other of [undefined, "", "application/json", "application/json; charset=utf-8", "application/connect+json", "application/grpc+json", "application/grpc-web+proto", "text/plain"]) {
    expect([other, answersInBinary(ctx(other))]).toEqual([other, false]);
  }
});
