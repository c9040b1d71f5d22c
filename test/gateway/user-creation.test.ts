// Creating a user through faults (gateway/user-creation.ts): a user a lost request made is found by its
// OIDC subject and adopted, never duplicated or left unrecorded; one that was there before is reported.
import type { GatewayClient } from "../../gateway/client";
import { UserCreationFailed, createUserOnce } from "../../gateway/user-creation";
import { Claims } from "../../resources/configuration/claims";
import { FaultProxy } from "../support/fault-proxy";
import { testGatewayClient } from "../support/gateway-client";
import { useTestGateway } from "../support/local-gateway";

const gateway = useTestGateway();
let proxy: FaultProxy;
let through: GatewayClient;
let direct: GatewayClient;
let claims: Claims;
let n = 0;

beforeEach(async () => {
  proxy = await FaultProxy.start(gateway.url);
  const admin = gateway.mintToken({ subject: `admin-${++n}`, admin: true });
  through = testGatewayClient({ baseUrl: proxy.url, token: admin, timeoutMs: 500, maxRetries: 2 });
  direct = testGatewayClient({ baseUrl: gateway.url, token: admin });
  claims = new Claims();
});
afterEach(async () => {
  through.close();
  direct.close();
  await proxy.close();
});

const withSubject = async (subject: string) => (await direct.listAllUsers()).filter((u) => u.oidcSubject === subject);

it("adopts the user a lost request created", async () => {
  proxy.script("CreateUser", "act-then-drop");
  const outcome = await createUserOnce(through, { oidcSubject: "svc:adopted", name: "Adopted" }, claims);
  const users = await withSubject("svc:adopted");
  expect(users).toHaveLength(1);
  expect(outcome).toMatchObject({ adopted: true, user: { identityId: users[0].identityId } });
  expect(claims.isClaimed(users[0].identityId)).toBe(true);
});

it.each(["reset", "unavailable", "hang"] as const)("%s: nothing was made, so the create is tried again", async (fault) => {
  proxy.script("CreateUser", fault);
  const outcome = await createUserOnce(through, { oidcSubject: `svc:${fault}` }, claims);
  expect(outcome.adopted).toBe(false);
  expect((await withSubject(`svc:${fault}`)).map((u) => u.identityId)).toEqual([outcome.user!.identityId]);
});

it("reports, never adopts, a user with the subject that existed before the request", async () => {
  await direct.createUser({ oidcSubject: "svc:older" });
  await new Promise((r) => setTimeout(r, 2_500)); // outside the window (2 s clock slack)
  proxy.script("CreateUser", "unavailable");
  const failure = (await createUserOnce(through, { oidcSubject: "svc:older" }, claims).catch((e: unknown) => e)) as UserCreationFailed;
  expect(failure).toBeInstanceOf(UserCreationFailed);
  expect(failure.found?.existing?.user.oidcSubject).toBe("svc:older");
  expect(await withSubject("svc:older")).toHaveLength(1);
});

it("says so when even the check fails", async () => {
  proxy.script("CreateUser", "act-then-drop");
  proxy.script("ListUsers", "unavailable", "unavailable", "unavailable");
  const failure = (await createUserOnce(through, { oidcSubject: "svc:unknown-fate" }, claims).catch((e: unknown) => e)) as UserCreationFailed;
  expect(failure).toBeInstanceOf(UserCreationFailed);
  expect(failure.found?.unresolved?.error.code).toBe("unavailable");
});
