// Whether the agyn CLI's profile files may exist decides whether Configure loads the YAML and zod libraries at
// all: only "neither file exists" may skip them; anything the loader would complain about must reach it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { agynCliFiles, agynCliFilesMayExist } from "../../../resources/configuration/agyn-cli-files";

describe("agyn CLI files", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "agyn-cli-files-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const env = () => ({ HOME: home });

  it("are looked for in $HOME/.agyn", () => {
    expect(agynCliFiles(env())).toEqual({ dir: join(home, ".agyn"), config: join(home, ".agyn/config.yaml"),
      credentials: join(home, ".agyn/credentials") });
  });

  it("do not exist without ~/.agyn, nor in an empty ~/.agyn", () => {
    expect(agynCliFilesMayExist(env())).toBe(false);
    mkdirSync(join(home, ".agyn"));
    expect(agynCliFilesMayExist(env())).toBe(false);
  });

  it.each(["config.yaml", "credentials"])("exist when %s alone does", (name) => {
    mkdirSync(join(home, ".agyn"));
    writeFileSync(join(home, ".agyn", name), "");
    expect(agynCliFilesMayExist(env())).toBe(true);
  });

  it("may exist when something unreadable is in the way (the loader explains it)", () => {
    // A directory named config.yaml, and a file where the .agyn directory should be.
    mkdirSync(join(home, ".agyn/config.yaml"), { recursive: true });
    expect(agynCliFilesMayExist(env())).toBe(true);
    rmSync(join(home, ".agyn"), { recursive: true });
    writeFileSync(join(home, ".agyn"), "not a directory");
    expect(agynCliFilesMayExist(env())).toBe(true);
  });
});
