// The ad-hoc signature written into the macOS executables (Apple Silicon runs nothing unsigned). A small
// Mach-O image made here stands in for node; the release test checks the real executables, and that the
// same reader accepts Apple's own signature of the pinned node binary.
import { checkAdHocSignature, readMachOLayout, signAdHoc } from "../../../scripts/release/macho-ad-hoc-signature";

const TEXT_SIZE = 0x2000;
const LINKEDIT_SIZE = 0x123;

/** header, __TEXT (one section at 0x1000) and __LINKEDIT: the shape of a linked executable. */
function machO(options: { firstSection?: number; trailing?: number } = {}): Buffer {
  const image = Buffer.alloc(TEXT_SIZE + LINKEDIT_SIZE + (options.trailing ?? 0));
  image.writeUInt32LE(0xfeedfacf, 0);
  image.writeInt32LE(0x0100000c, 4); // arm64
  image.writeUInt32LE(2, 12); // MH_EXECUTE
  image.writeUInt32LE(2, 16); // ncmds
  image.writeUInt32LE(72 + 80 + 72, 20);
  let at = 32;
  const segment = (name: string, fileoff: number, filesize: number, sections: number) => {
    image.writeUInt32LE(0x19, at);
    image.writeUInt32LE(72 + 80 * sections, at + 4);
    image.write(name, at + 8, "latin1");
    image.writeBigUInt64LE(0x100000000n + BigInt(fileoff), at + 24);
    image.writeBigUInt64LE(BigInt(Math.ceil(filesize / 0x4000) * 0x4000), at + 32);
    image.writeBigUInt64LE(BigInt(fileoff), at + 40);
    image.writeBigUInt64LE(BigInt(filesize), at + 48);
    image.writeUInt32LE(sections, at + 64);
    at += 72;
  };
  segment("__TEXT", 0, TEXT_SIZE, 1);
  image.write("__text", at, "latin1");
  image.write("__TEXT", at + 16, "latin1");
  image.writeBigUInt64LE(0x100n, at + 40);
  image.writeUInt32LE(options.firstSection ?? 0x1000, at + 48);
  at += 80;
  segment("__LINKEDIT", TEXT_SIZE, LINKEDIT_SIZE, 0); // any trailing bytes lie outside every segment
  for (let i = 0x1000; i < image.length; i++) image[i] = (i * 7) & 0xff; // code and symbol data
  return image;
}

describe("ad-hoc Mach-O signature", () => {
  it("adds LC_CODE_SIGNATURE and a CodeDirectory whose page hashes match the file", () => {
    const signed = signAdHoc(machO(), "terraform-provider-agyn");
    const layout = readMachOLayout(signed);
    expect(layout.codeSignature).toBeDefined();
    const check = checkAdHocSignature(signed);
    expect(check).toEqual({
      identifier: "terraform-provider-agyn",
      flags: 0x2, // CS_ADHOC, no hardened runtime
      codeLimit: 0x2130, // __LINKEDIT's end, aligned to 16
      pages: 3,
      badPages: [],
      requirementsHashMatches: true,
      coversFileEnd: true,
    });
    // __LINKEDIT now ends where the file ends, signature included.
    const linkedit = layout.segments.find((s) => s.name === "__LINKEDIT")!;
    expect(linkedit.fileoff + linkedit.filesize).toBe(signed.length);
  });

  it("the check notices a changed page (so a stale signature cannot pass the release test)", () => {
    const signed = signAdHoc(machO(), "x");
    signed[0x1010] ^= 1;
    expect(checkAdHocSignature(signed).badPages).toEqual([1]);
  });

  it("replaces an existing signature in place: signing twice gives the same file", () => {
    const once = signAdHoc(machO(), "terraform-provider-agyn");
    const twice = signAdHoc(once, "terraform-provider-agyn");
    expect(twice.equals(once)).toBe(true);
    expect(readMachOLayout(twice).segments.length).toBe(2);
    expect(signAdHoc(once, "other").equals(once)).toBe(false);
  });

  it("refuses images it cannot sign correctly instead of writing a broken one", () => {
    expect(() => signAdHoc(machO({ firstSection: 32 + 72 + 80 + 72 + 8 }), "x")).toThrow("no room in the Mach-O header");
    expect(() => signAdHoc(machO({ trailing: 16 }), "x")).toThrow("data after __LINKEDIT");
    expect(() => signAdHoc(Buffer.from("MZ not a mach-o file at all, no"), "x")).toThrow("not a thin 64-bit");
  });
});
