// NODE_EXTRA_CA_CERTS through the launcher, which hides the file from node to start faster, and through the release
// executable, which keeps node's own store: the Gateway client must trust what the file holds (and nothing more)
// when Configure connects over https.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { executableName, terraformPlatform } from "../../release/platforms";
import { createPrivateCa } from "../support/certificates";
import { useTestGateway } from "../support/local-gateway";
import { releaseVersion } from "../support/release";
import { type EnvOverrides, killAllProviders, launchProvider, providerBinary, repoRoot } from "../support/plugin-process";
import { dv, errorsOf, providerConfig, rpcNames, show } from "./wire-helpers";

const ca = createPrivateCa("agyn extra-CA test");
const gateway = useTestGateway({ tls: ca.issueServerCertificate() });
let dir: string;
let caFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "agyn-extra-ca-"));
  caFile = join(dir, "extra-ca.pem");
  writeFileSync(caFile, ca.certPem);
});
afterAll(async () => {
  await killAllProviders();
  rmSync(dir, { recursive: true, force: true });
});

/** This machine's release executable (node 22, no launcher); `npm test` builds it before jest. */
const singleExecutable = join(repoRoot, "dist/sea", terraformPlatform(), executableName(releaseVersion, terraformPlatform()));

test("the release executable these tests launch is built", () => {
  expect(existsSync(singleExecutable)).toBe(true);
});

describe.each([
  { version: 5, launcher: providerBinary },
  { version: 6, launcher: providerBinary },
  { version: 6, launcher: singleExecutable },
])("protocol $version, $launcher", ({ version, launcher }) => {
  const rpc = rpcNames(version);

  async function configureWith(env: EnvOverrides): Promise<string> {
    const p = await launchProvider({ offeredVersions: String(version), env, launcher });
    try {
      const token = gateway.mintToken({ subject: `oidc|extra-ca-${version}`, name: "Extra CA" });
      const configured = await p.call(rpc.configure, { terraformVersion: "1.11.4", config: dv(providerConfig({ gateway: gateway.url, token })) });
      return show(errorsOf(configured));
    } finally {
      await p.kill();
    }
  }

  it("trusts a Gateway whose CA only NODE_EXTRA_CA_CERTS names", async () => {
    expect(await configureWith({ NODE_EXTRA_CA_CERTS: caFile })).toBe("[]");
  });

  it("refuses the same Gateway without it, and with an unreadable file (the bundled roots alone)", async () => {
    expect(await configureWith({ NODE_EXTRA_CA_CERTS: undefined })).toMatch(/certificate/i);
    expect(await configureWith({ NODE_EXTRA_CA_CERTS: join(dir, "missing.pem") })).toMatch(/certificate/i);
  });

  it("trusts it the same way when NODE_OPTIONS keeps node's own store", async () => {
    expect(await configureWith({ NODE_EXTRA_CA_CERTS: caFile, NODE_OPTIONS: "--use-bundled-ca" })).toBe("[]");
    expect(await configureWith({ NODE_EXTRA_CA_CERTS: undefined, NODE_OPTIONS: "--use-bundled-ca" })).toMatch(/certificate/i);
  });
});
