// CHANGELOG.md names the version being released: the release refuses to build when its newest entry is not
// package.json's version.

/** The version of the newest "## <version>" entry ("## 1.2.0 (unreleased)", "## [1.2.0] - 2026-12-01", "## v1.2.0"). */
export function changelogVersion(changelog: string): string | undefined {
  return /^## \[?v?(\d+\.\d+\.\d+[^\]\s]*)\]?/m.exec(changelog)?.[1];
}
