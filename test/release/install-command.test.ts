// `terraform-provider-agyn install`: what it copies (itself as the single executable, or the executable out of
// the release archive when run through node — never node), where it puts it, and the block it prints.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runInstallCommand, type InstallContext } from "../../release/install-command";
import { createZip } from "../../release/zip-archive";

let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), "agyn-install-test-"));
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}

function install(argv: string[], context: Partial<InstallContext> = {}): Run {
  let out = "";
  let err = "";
  const code = runInstallCommand(argv, {
    version: "1.2.3",
    platform: "linux",
    arch: "x64",
    env: {},
    home: join(scratch, "home"),
    runningAsExecutable: true,
    execPath: fakeExecutable("the single executable"),
    packageRoot: join(scratch, "package"),
    out: (t) => (out += t),
    err: (t) => (err += t),
    ...context,
  });
  return { code, out, err };
}

function fakeExecutable(content: string): string {
  const file = join(scratch, `exe-${content.length}`);
  writeFileSync(file, content);
  chmodSync(file, 0o700);
  return file;
}

const packageDir = (mirror: string, platform = "linux_amd64") => join(mirror, "registry.terraform.io/agynio/agyn/1.2.3", platform);

describe("install", () => {
  it("copies the running single executable into the implied local mirror and explains how Terraform finds it", () => {
    const r = install([]);
    expect(r).toMatchObject({ code: 0, err: "" });
    const target = join(packageDir(join(scratch, "home/.terraform.d/plugins")), "terraform-provider-agyn_v1.2.3");
    expect(readFileSync(target, "utf8")).toBe("the single executable");
    expect(statSync(target).mode & 0o777).toBe(0o755);
    expect(r.out).toContain(`Installed: terraform-provider-agyn 1.2.3 (linux_amd64`);
    expect(r.out).toContain(target);
    expect(r.out).toContain("Terraform looks there by itself as long as your CLI configuration has no provider_installation block");
    expect(r.out).toContain(`    path    = "${join(scratch, "home/.terraform.d/plugins")}"\n    include = ["registry.terraform.io/agynio/agyn"]`);
    expect(r.out).toContain(`agyn = { source = "agynio/agyn", version = "1.2.3" }`);
  });

  it("through node, takes the executable out of this build's release archive — never node itself", async () => {
    const archive = join(scratch, "package/dist/release/terraform-provider-agyn_1.2.3_darwin_arm64.zip");
    mkdirSync(join(archive, ".."), { recursive: true });
    writeFileSync(archive, await createZip([{ name: "terraform-provider-agyn_v1.2.3", data: Buffer.from("from the zip"), mode: 0o755 }], new Date(0)));
    const r = install(["--dir", join(scratch, "mirror")], {
      runningAsExecutable: false,
      execPath: fakeExecutable("node itself"),
      platform: "darwin",
      arch: "arm64",
    });
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(readFileSync(join(packageDir(join(scratch, "mirror"), "darwin_arm64"), "terraform-provider-agyn_v1.2.3"), "utf8")).toBe("from the zip");
    expect(r.out).toContain(`from ${archive}`);
    expect(r.out).toContain("Tell Terraform about the mirror in your CLI configuration (~/.terraformrc");
  });

  it("through node without a release archive, says how to get one and installs nothing", () => {
    const r = install(["--dir", join(scratch, "mirror")], { runningAsExecutable: false });
    expect(r.code).toBe(1);
    expect(r.err).toContain("npm run release");
    expect(r.err).toContain("terraform-provider-agyn_1.2.3_linux_amd64.zip");
    expect(existsSync(join(scratch, "mirror"))).toBe(false);
  });

  it("leaves only the executable in the package directory (Terraform hashes all of it) and says when nothing changed", () => {
    const mirror = join(scratch, "mirror");
    mkdirSync(packageDir(mirror), { recursive: true });
    writeFileSync(join(packageDir(mirror), "terraform-provider-agyn_v1.2.3"), "an older build");
    writeFileSync(join(packageDir(mirror), "stray.txt"), "left behind");
    expect(install(["--dir", mirror]).code).toBe(0);
    expect(readdirSync(packageDir(mirror))).toEqual(["terraform-provider-agyn_v1.2.3"]);
    expect(readFileSync(join(packageDir(mirror), "terraform-provider-agyn_v1.2.3"), "utf8")).toBe("the single executable");
    expect(readdirSync(join(packageDir(mirror), ".."))).toEqual(["linux_amd64"]); // no staging left over
    expect(install([`--dir=${mirror}`]).out).toMatch(/^Already installed: /);
  });

  it("on Windows: %APPDATA%\\terraform.d\\plugins, the .exe name, and a path quoted for HCL", () => {
    const appData = join(scratch, "App\\Data");
    const r = install([], { platform: "win32", arch: "x64", env: { APPDATA: appData } });
    expect(r.code).toBe(0);
    expect(existsSync(join(packageDir(join(appData, "terraform.d/plugins"), "windows_amd64"), "terraform-provider-agyn_v1.2.3.exe"))).toBe(true);
    expect(r.out).toContain(`path    = "${join(appData, "terraform.d/plugins").replace(/\\/g, "\\\\")}"`);
    expect(r.out).toContain("%APPDATA%\\terraform.rc");
  });

  it("quotes a directory name for the CLI configuration (HCL 1: no template escapes)", () => {
    const dir = join(scratch, 'odd ${name} %{x} "q"');
    const r = install(["--dir", dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`path    = "${dir.replace(/"/g, '\\"')}"`);
  });

  it("refuses unknown arguments and platforms without a release, with usage", () => {
    expect(install(["--force"])).toMatchObject({ code: 2, err: expect.stringContaining('unknown argument "--force"') });
    expect(install(["--dir"])).toMatchObject({ code: 2, err: expect.stringContaining("--dir needs a directory") });
    expect(install([], { arch: "s390x" })).toMatchObject({ code: 1, err: expect.stringContaining("no release is built for linux_s390x") });
    expect(install(["--help"])).toMatchObject({ code: 0, out: expect.stringContaining("Usage: terraform-provider-agyn install [--dir DIR]") });
  });
});
