// What Configure reads back of node's default certificate store when the launcher set it aside, and whom the
// Gateway client then trusts: the same as node would have, whichever way the process was started.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { trustedCertificates } from "../../../gateway/trusted-certificates";
import type { Logger } from "../../../provider/logging/logger";
import { deferredDefaultStore } from "../../../resources/configuration/deferred-ca-store";
import { createPrivateCa } from "../../support/certificates";

const ca = createPrivateCa();
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), "agyn-ca-store-"))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recordingLogger(): { log: Logger; warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const ignore = () => undefined;
  const log: Logger = { trace: ignore, debug: ignore, info: ignore, error: ignore, warn: (m, f) => warnings.push([m, f]), with: () => log };
  return { log, warnings };
}

describe("deferredDefaultStore", () => {
  test("is undefined unless the launcher marked the store as set aside: node's own store then holds everything", () => {
    const { log, warnings } = recordingLogger();
    expect(deferredDefaultStore({ AGYN_PROVIDER_EXTRA_CA_CERTS: "/etc/corp/ca.pem" }, log)).toBeUndefined();
    expect(deferredDefaultStore({ AGYN_PROVIDER_CA_STORE: "yes" }, log)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  test("reads the file NODE_EXTRA_CA_CERTS named", () => {
    const file = join(dir, "extra.pem");
    writeFileSync(file, ca.certPem);
    const { log, warnings } = recordingLogger();
    expect(deferredDefaultStore({ AGYN_PROVIDER_CA_STORE: "deferred", AGYN_PROVIDER_EXTRA_CA_CERTS: file }, log)).toEqual({ extraCaPem: ca.certPem });
    expect(deferredDefaultStore({ AGYN_PROVIDER_CA_STORE: "deferred" }, log)).toEqual({});
    expect(warnings).toEqual([]);
  });

  test("warns about a file it cannot use and keeps the bundled roots, as node does", () => {
    const notPem = join(dir, "not-pem.txt");
    writeFileSync(notPem, "not a certificate");
    const { log, warnings } = recordingLogger();
    const missing = join(dir, "missing.pem");
    expect(deferredDefaultStore({ AGYN_PROVIDER_CA_STORE: "deferred", AGYN_PROVIDER_EXTRA_CA_CERTS: missing }, log)).toEqual({});
    expect(deferredDefaultStore({ AGYN_PROVIDER_CA_STORE: "deferred", AGYN_PROVIDER_EXTRA_CA_CERTS: notPem }, log)).toEqual({});
    expect(warnings).toEqual([
      [expect.stringMatching(/NODE_EXTRA_CA_CERTS: the file cannot be read/), { file: missing, error: expect.stringMatching(/ENOENT/) }],
      [expect.stringMatching(/NODE_EXTRA_CA_CERTS: the file holds no PEM certificate/), { file: notPem }],
    ]);
  });
});

describe("trustedCertificates", () => {
  test("node's own default store when nothing is configured and the store was not set aside", () => {
    expect(trustedCertificates(undefined, undefined)).toBeUndefined();
  });

  test("the bundled roots and the extra certificates, spelled out, when the launcher set them aside", () => {
    expect(trustedCertificates(undefined, { extraCaPem: ca.certPem })).toEqual([...rootCertificates, ca.certPem]);
    expect(trustedCertificates(undefined, {})).toEqual([...rootCertificates]);
  });

  test("a configured CA joins the bundled roots and, as with node's `ca` option, leaves the extra certificates out", () => {
    const other = createPrivateCa("another CA").certPem;
    expect(trustedCertificates(other, undefined)).toEqual([...rootCertificates, other]);
    expect(trustedCertificates(other, { extraCaPem: ca.certPem })).toEqual([...rootCertificates, other]);
  });
});
