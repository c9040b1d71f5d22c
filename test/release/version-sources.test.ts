// One version, package.json's: what the provider reports (--version, GetMetadata, User-Agent) and what the
// changelog describes. Archives and the manifest are named from it by the release build (release test).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDER_VERSION } from "../../resources/provider-identity";
import { userAgent } from "../../resources/agyn-provider";
import { changelogVersion } from "../../scripts/release/changelog";

const root = join(__dirname, "../..");
const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };

describe("the provider's version", () => {
  it("is package.json's everywhere the provider reports it", () => {
    expect(PROVIDER_VERSION).toBe(version);
    expect(userAgent("1.11.4")).toMatch(new RegExp(`^terraform-provider-agyn/${version.replace(/\./g, "\\.")} `));
  });

  it("is the newest entry of CHANGELOG.md", () => {
    expect(changelogVersion(readFileSync(join(root, "CHANGELOG.md"), "utf8"))).toBe(version);
  });

  it("is read from the changelog's usual heading styles", () => {
    expect(changelogVersion("# Changelog\n\n## 1.2.0 (unreleased)\n\n## 1.1.0\n")).toBe("1.2.0");
    expect(changelogVersion("## [2.0.0-rc.1] - 2026-12-01\n")).toBe("2.0.0-rc.1");
    expect(changelogVersion("## v0.3.1\n")).toBe("0.3.1");
    expect(changelogVersion("## Unreleased\n")).toBeUndefined();
  });
});
