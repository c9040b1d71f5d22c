// The request headers as connect's handlers see them: a Headers view over the object Node.js parsed. connect copies
// them into a Headers of its own on every call (createHandlerContext), through their iteration.
import { FetchHeaders } from "../../../gateway/fetch-headers";
import { NodeRequestHeaders } from "../../../gateway/local/node-headers";

const parsed = () => ({
  ":path": "/agynio.api.gateway.v1.UsersGateway/GetMe",
  ":authority": "127.0.0.1",
  "user-agent": "test",
  "content-type": "application/proto",
  "x-repeated": ["gzip", "br"],
  authorization: "Bearer x",
});

describe("NodeRequestHeaders", () => {
  it("iterates as Headers does: sorted by name, repeated fields joined, HTTP/2 pseudo-headers left out", () => {
    const expected = [
      ["authorization", "Bearer x"],
      ["content-type", "application/proto"],
      ["user-agent", "test"],
      ["x-repeated", "gzip, br"],
    ];
    const headers = new NodeRequestHeaders(parsed());
    expect([...headers]).toEqual(expected);
    expect([...headers.entries()]).toEqual(expected);
    expect([...headers.keys()]).toEqual(expected.map(([name]) => name));
    expect([...headers.values()]).toEqual(expected.map(([, value]) => value));
    const seen: string[][] = [];
    headers.forEach((value, name) => seen.push([name, value]));
    expect(seen).toEqual(expected);
  });

  it("is copied whole into a Headers of either kind, as connect copies it for every call", () => {
    const headers = new NodeRequestHeaders(parsed());
    for (const copy of [new FetchHeaders(headers), new Headers(headers)]) {
      expect([...copy]).toEqual([...headers]);
      expect(copy.get("Content-Type")).toBe("application/proto");
    }
  });

  it("iterates what it holds after a change, and leaves Node's object as it was", () => {
    const nodeHeaders = parsed();
    const headers = new NodeRequestHeaders(nodeHeaders);
    headers.delete("content-type");
    headers.append("x-repeated", "zstd");
    expect([...headers.keys()]).toEqual(["authorization", "user-agent", "x-repeated"]);
    expect(headers.get("x-repeated")).toBe("gzip, br, zstd");
    expect(nodeHeaders["content-type"]).toBe("application/proto");
  });
});
