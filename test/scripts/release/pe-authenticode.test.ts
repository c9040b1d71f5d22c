// Removing node.exe's Authenticode signature before the bundle is injected, and the PE checksum after it.
// A small PE32+ image stands in for node.exe; the release test checks the real one.
import { authenticodeSignature, peChecksum, removeAuthenticodeSignature, storedPeChecksum, withPeChecksum } from "../../../scripts/release/pe-authenticode";

const PE = 0x80;
const OPTIONAL = PE + 24;
const SECURITY_ENTRY = OPTIONAL + 112 + 4 * 8;

function pe(certificateTable?: Buffer): Buffer {
  const body = Buffer.alloc(0x400);
  body.write("MZ", 0, "latin1");
  body.writeUInt32LE(PE, 0x3c);
  body.write("PE\0\0", PE, "latin1");
  body.writeUInt16LE(0x20b, OPTIONAL); // PE32+
  for (let i = 0x200; i < body.length; i++) body[i] = (i * 13) & 0xff;
  if (!certificateTable) return body;
  body.writeUInt32LE(body.length, SECURITY_ENTRY);
  body.writeUInt32LE(certificateTable.length, SECURITY_ENTRY + 4);
  return Buffer.concat([body, certificateTable]);
}

describe("Authenticode removal and the PE checksum", () => {
  it("drops the certificate table and its directory entry, and writes a correct checksum", () => {
    const signed = pe(Buffer.alloc(24, 0xaa));
    expect(authenticodeSignature(signed)).toEqual({ offset: 0x400, size: 24 });
    const unsigned = removeAuthenticodeSignature(signed);
    expect(unsigned.length).toBe(0x400);
    expect(authenticodeSignature(unsigned)).toBeUndefined();
    expect(storedPeChecksum(unsigned)).toBe(peChecksum(unsigned));
    expect(peChecksum(unsigned)).not.toBe(0);
    expect(signed.length).toBe(0x400 + 24); // the input is left alone
  });

  it("computes the checksum without its own field, folding carries, plus the file length", () => {
    const image = pe();
    const before = peChecksum(image);
    image.writeUInt32LE(0xdeadbeef, OPTIONAL + 64); // the stored checksum does not feed into itself
    expect(peChecksum(image)).toBe(before);
    image[0x300] ^= 0x01;
    expect(peChecksum(image)).not.toBe(before);
    expect(storedPeChecksum(withPeChecksum(image))).toBe(peChecksum(image));
    // An image of one 16-bit word 0x0001 outside the header's checksum field: 1 + length.
    expect(peChecksum(Buffer.concat([pe(), Buffer.from([1])]))).toBe((peChecksum(pe()) - 0x400 + 1 + 0x401) >>> 0);
  });

  it("refuses a certificate table that is not at the end of the file", () => {
    const odd = Buffer.concat([pe(Buffer.alloc(8)), Buffer.alloc(8)]);
    expect(() => removeAuthenticodeSignature(odd)).toThrow("not at the end of the file");
    expect(() => removeAuthenticodeSignature(Buffer.from("not a PE file"))).toThrow("not a PE file");
  });
});
