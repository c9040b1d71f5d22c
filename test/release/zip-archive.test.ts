// The zip writer and reader behind release archives and `install`: what Terraform needs from a zip (names,
// Unix modes so the provider stays executable, intact data) and nothing that varies between builds.
import { randomBytes } from "node:crypto";
import { crc32, createZip, readZip, tableCrc32 } from "../../release/zip-archive";

const when = new Date(Date.UTC(2000, 0, 1));

describe("zip archives", () => {
  it("round-trips files with their names, Unix modes and contents", async () => {
    const data = Buffer.from("#!/bin/sh\necho provider\n".repeat(1000));
    const zip = await createZip([
      { name: "terraform-provider-agyn_v1.2.3", data, mode: 0o755 },
      { name: "README.md", data: Buffer.from("hello"), mode: 0o644 },
    ], when);
    const entries = readZip(zip);
    expect(entries.map((e) => [e.name, e.mode.toString(8), e.data.toString()])).toEqual([
      ["terraform-provider-agyn_v1.2.3", "755", data.toString()],
      ["README.md", "644", "hello"],
    ]);
    expect(zip.length).toBeLessThan(data.length / 10); // deflated
  });

  it("writes the same bytes for the same input (release archives are reproducible)", async () => {
    const input = [{ name: "x", data: Buffer.from("same"), mode: 0o755 }];
    expect((await createZip(input, when)).equals(await createZip(input, when))).toBe(true);
    expect((await createZip(input, when)).equals(await createZip(input, new Date(Date.UTC(2001, 0, 1))))).toBe(false);
  });

  it("marks entries as made on Unix with regular-file permissions, as Terraform's unzip reads them", async () => {
    const zip = await createZip([{ name: "p", data: Buffer.from("x"), mode: 0o755 }], when);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(zip.readUInt16LE(central + 4) >> 8).toBe(3); // version made by: Unix
    expect((zip.readUInt32LE(central + 38) >>> 16).toString(8)).toBe("100755");
    // DOS date of 2000-01-01 00:00:00
    expect(zip.readUInt16LE(central + 14)).toBe((20 << 9) | (1 << 5) | 1);
    expect(zip.readUInt16LE(central + 12)).toBe(0);
  });

  it("refuses a corrupted archive instead of installing a damaged executable", async () => {
    const zip = await createZip([{ name: "p", data: Buffer.from("provider ".repeat(100)), mode: 0o755 }], when);
    const damaged = Buffer.from(zip);
    damaged[40] ^= 0xff; // inside the deflated data
    expect(() => readZip(damaged)).toThrow(/corrupt zip|invalid|incorrect/i);
    expect(() => readZip(Buffer.from("not a zip at all, just text"))).toThrow("not a zip archive");
  });

  it("reads stored (uncompressed) entries written by other tools", () => {
    const data = Buffer.from("stored");
    const name = Buffer.from("a.txt");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by MS-DOS: no Unix mode
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(local.length + name.length + data.length, 16);
    const zip = Buffer.concat([local, name, data, central, name, end]);
    expect(readZip(zip)).toEqual([{ name: "a.txt", mode: 0o644, data }]);
  });

  it("computes CRC-32 as zip defines it, with zlib's and with the table for Node before 20.15", () => {
    for (const crc of [crc32, tableCrc32]) {
      expect(crc(Buffer.from("123456789")).toString(16)).toBe("cbf43926");
      expect(crc(Buffer.alloc(0))).toBe(0);
    }
    const data = randomBytes(100_000);
    expect(tableCrc32(data)).toBe(crc32(data));
  });
});
