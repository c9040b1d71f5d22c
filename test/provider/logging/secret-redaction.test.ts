// The one redaction rule: registered shapes and configured values become one marker, wherever text goes.
import { randomBytes } from "node:crypto";
import { API_TOKEN_SECRET_SHAPE, generateApiToken, tokenPrefix } from "../../../gateway/token-format";
import { REDACTION_MARKER, redactSecrets, registerSecretPattern, registerSecretValue } from "../../../provider/logging/secret-redaction";

beforeAll(() => registerSecretPattern(API_TOKEN_SECRET_SHAPE));

test("redaction masks whole and truncated tokens but keeps the public prefix readable", () => {
  const token = generateApiToken();
  const redacted = redactSecrets(`bad token ${token}, again: "${token.slice(0, 20)}"; prefix ${tokenPrefix(token)}`);
  expect(redacted).not.toContain(token.slice(5, 13));
  expect(redacted).toBe(`bad token agyn_${REDACTION_MARKER}, again: "agyn_${REDACTION_MARKER}"; prefix ${tokenPrefix(token)}`);
});

test("a configured secret of any shape is replaced by the same marker", () => {
  const odd = randomBytes(16).toString("hex");
  registerSecretValue(odd);
  expect(redactSecrets(`Bearer ${odd}.`)).toBe(`Bearer ${REDACTION_MARKER}.`);
});

test("registering a shape twice redacts once", () => {
  registerSecretPattern(API_TOKEN_SECRET_SHAPE);
  expect(redactSecrets(`x ${generateApiToken()}`)).toBe(`x agyn_${REDACTION_MARKER}`);
});

test("words that merely start with agyn_ stay readable: type names, the public prefix", () => {
  expect(redactSecrets('no data source "agyn_nonexistent"; agyn_api_token; prefix agyn_Ab3')).toBe(
    'no data source "agyn_nonexistent"; agyn_api_token; prefix agyn_Ab3');
});

test("any piece of a token longer than its public prefix is redacted, however it was cut (issue 10)", () => {
  const token = generateApiToken();
  for (const length of [9, 10, 12, 20, 48]) {
    const piece = token.slice(0, length);
    expect(redactSecrets(`import id "${piece}" is not a UUID`)).toBe(`import id "agyn_${REDACTION_MARKER}" is not a UUID`);
  }
  // Cut by a bounded quote, with an ellipsis after it.
  expect(redactSecrets(`"${token.slice(0, 30)}…" (200 characters)`)).toBe(`"agyn_${REDACTION_MARKER}…" (200 characters)`);
  // The public prefix itself stays readable.
  expect(redactSecrets(`prefix ${tokenPrefix(token)}`)).toBe(`prefix ${tokenPrefix(token)}`);
});
