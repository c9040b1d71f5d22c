// Tools from Debian that the release build and its tests use: gpg (signing SHA256SUMS), openssl (a test CA)
// and qemu-user with the other architecture's C libraries (code cache for, and a run of, the other Linux
// executable). Installed with apt-get when missing and we may (root on Debian); otherwise says what to install.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const found = (command) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

function needs() {
  const list = [
    { what: "gpg", present: () => found("gpg"), packages: ["gnupg"] },
    { what: "openssl", present: () => found("openssl"), packages: ["openssl"] },
  ];
  const other = { x64: { qemu: "qemu-aarch64", triple: "aarch64-linux-gnu", debian: "arm64" }, arm64: { qemu: "qemu-x86_64", triple: "x86_64-linux-gnu", debian: "amd64" } }[process.arch];
  if (process.platform === "linux" && other) {
    list.push({
      what: `${other.qemu} with the ${other.debian} C libraries`,
      present: () =>
        (found(other.qemu) || found(`${other.qemu}-static`)) &&
        ["libc.so.6", "libstdc++.so.6", "libgcc_s.so.1"].every((lib) => existsSync(`/usr/${other.triple}/lib/${lib}`)),
      packages: ["qemu-user", `libc6-${other.debian}-cross`, `libstdc++6-${other.debian}-cross`, `libgcc-s1-${other.debian}-cross`],
    });
  }
  return list;
}

export function ensureDebianPackages() {
  const missing = needs().filter((n) => !n.present());
  if (missing.length === 0) return;
  const packages = missing.flatMap((n) => n.packages);
  const canInstall = process.getuid?.() === 0 && found("apt-get");
  if (!canInstall) {
    console.warn(`\n*** missing: ${missing.map((n) => n.what).join(", ")}; install them: apt-get install ${packages.join(" ")} ***\n`);
    return;
  }
  console.log(`» installing ${packages.join(" ")} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });
}
