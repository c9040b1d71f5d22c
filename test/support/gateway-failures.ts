// Asserting on failed Gateway calls made through the provider's client.
import { GatewayError } from "../../gateway/gateway-error";

/** The GatewayError the call fails with; a success or any other error fails the test. */
export async function gatewayFailure(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error("expected the Gateway call to fail");
}

/** Checks the Connect code and, when given, the Gateway's own message (exact string or pattern). */
export async function expectGatewayFailure(
  promise: Promise<unknown>,
  code: string,
  message?: string | RegExp,
): Promise<GatewayError> {
  const error = await gatewayFailure(promise);
  expect(error.code).toBe(code);
  if (typeof message === "string") expect(error.gatewayMessage).toBe(message);
  else if (message) expect(error.gatewayMessage).toMatch(message);
  return error;
}
