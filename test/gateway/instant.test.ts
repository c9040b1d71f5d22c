import {
  addMilliseconds, compareInstants, formatRfc3339, instantFromDate, type Instant, parseRfc3339,
} from "../../gateway/instant";

const at = (seconds: number | bigint, nanos = 0): Instant => ({ seconds: BigInt(seconds), nanos });
const epoch = (iso: string) => BigInt(Date.parse(iso) / 1000);

describe("parseRfc3339", () => {
  it("parses UTC with Z or z and t", () => {
    expect(parseRfc3339("2024-03-01T12:34:56Z")).toEqual(at(epoch("2024-03-01T12:34:56Z")));
    expect(parseRfc3339("2024-03-01t12:34:56z")).toEqual(at(epoch("2024-03-01T12:34:56Z")));
  });

  it("applies positive and negative offsets", () => {
    expect(parseRfc3339("2024-03-01T14:34:56+02:00")).toEqual(at(epoch("2024-03-01T12:34:56Z")));
    expect(parseRfc3339("2024-03-01T07:04:56-05:30")).toEqual(at(epoch("2024-03-01T12:34:56Z")));
    expect(parseRfc3339("2024-03-01T00:30:00+01:00")).toEqual(at(epoch("2024-02-29T23:30:00Z")));
    expect(parseRfc3339("2024-03-01T12:00:00-00:00")).toEqual(at(epoch("2024-03-01T12:00:00Z")));
  });

  it.each([
    ["1", 100_000_000],
    ["12", 120_000_000],
    ["123", 123_000_000],
    ["123456", 123_456_000],
    ["000001", 1_000],
    ["123456789", 123_456_789],
    ["000000001", 1],
  ])("fraction .%s → %d ns", (frac, nanos) => {
    expect(parseRfc3339(`2024-01-01T00:00:00.${frac}Z`)).toEqual(at(epoch("2024-01-01T00:00:00Z"), nanos));
  });

  it("keeps the fraction with an offset", () => {
    expect(parseRfc3339("2024-01-01T01:00:00.5+01:00")).toEqual(at(epoch("2024-01-01T00:00:00Z"), 500_000_000));
  });

  it("handles instants before 1970", () => {
    expect(parseRfc3339("1969-12-31T23:59:59.25Z")).toEqual(at(-1, 250_000_000));
  });

  it.each([
    "2024-02-30T00:00:00Z", // Feb 30
    "2023-02-29T00:00:00Z", // not a leap year
    "2024-04-31T00:00:00Z",
    "2024-13-01T00:00:00Z",
    "2024-00-10T00:00:00Z",
    "2024-01-00T00:00:00Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T23:60:00Z",
    "2024-01-01T23:59:60Z",
    "2024-01-01T00:00:00.1234567890Z", // 10 fractional digits
    "2024-01-01T00:00:00.Z",
    "2024-01-01T00:00:00", // no zone
    "2024-01-01 00:00:00Z",
    "2024-01-01T00:00Z",
    "2024-1-01T00:00:00Z",
    "2024-01-01T00:00:00+0100",
    "2024-01-01T00:00:00+01",
    " 2024-01-01T00:00:00Z",
    "2024-01-01",
    "",
  ])("rejects %p", (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });

  it("accepts Feb 29 in a leap year", () => {
    expect(parseRfc3339("2024-02-29T00:00:00Z")).toEqual(at(epoch("2024-02-29T00:00:00Z")));
  });

  it("rejects zone offsets outside 00:00–23:59", () => {
    expect(parseRfc3339("2024-01-01T00:00:00+24:00")).toBeUndefined();
    expect(parseRfc3339("2024-01-01T00:00:00+99:99")).toBeUndefined();
    expect(parseRfc3339("2024-01-01T00:00:00-01:60")).toBeUndefined();
    expect(parseRfc3339("2024-01-01T00:00:00+23:59")).toBeDefined();
  });

  it("years 0000–0099 are not taken for 1900–1999", () => {
    // Date.UTC maps two-digit years to 19xx; Go's zero time 0001-01-01 must not become 1901.
    const zero = parseRfc3339("0001-01-01T00:00:00Z");
    expect(zero).toEqual(at(-62135596800n));
    expect(formatRfc3339(zero!)).toBe("0001-01-01T00:00:00Z");
    expect(formatRfc3339(parseRfc3339("0099-12-31T23:59:59Z")!)).toBe("0099-12-31T23:59:59Z");
    expect(parseRfc3339("0050-02-29T00:00:00Z")).toBeUndefined(); // 50 AD is not a leap year (1950 was not either)
    expect(parseRfc3339("0048-02-29T00:00:00Z")).toBeDefined();
  });
});

describe("compareInstants", () => {
  it("orders by seconds first", () => {
    expect(compareInstants(at(1, 999_999_999), at(2, 0))).toBe(-1);
    expect(compareInstants(at(2, 0), at(1, 999_999_999))).toBe(1);
  });

  it("compares at microsecond precision: nanoseconds below a microsecond do not count", () => {
    expect(compareInstants(at(5, 123_456_000), at(5, 123_456_999))).toBe(0);
    expect(compareInstants(at(5, 123_456_999), at(5, 123_457_000))).toBe(-1);
    expect(compareInstants(at(5, 123_457_000), at(5, 123_456_999))).toBe(1);
  });

  it("equal spellings of one instant compare equal", () => {
    const a = parseRfc3339("2024-01-01T02:00:00.000001+02:00")!;
    const b = parseRfc3339("2024-01-01T00:00:00.000001000Z")!;
    expect(compareInstants(a, b)).toBe(0);
  });
});

describe("formatRfc3339", () => {
  it.each([
    [0, "2024-01-01T00:00:00Z"],
    [500_000_000, "2024-01-01T00:00:00.500Z"],
    [120_000_000, "2024-01-01T00:00:00.120Z"],
    [123_456_000, "2024-01-01T00:00:00.123456Z"],
    [1_000, "2024-01-01T00:00:00.000001Z"],
    [123_456_789, "2024-01-01T00:00:00.123456789Z"],
    [1, "2024-01-01T00:00:00.000000001Z"],
    [100_000_000, "2024-01-01T00:00:00.100Z"],
  ])("nanos %d → %s (0, 3, 6 or 9 digits)", (nanos, text) => {
    const i = at(epoch("2024-01-01T00:00:00Z"), nanos);
    expect(formatRfc3339(i)).toBe(text);
    expect(parseRfc3339(text)).toEqual(i);
  });

  it("formats instants before 1970", () => {
    expect(formatRfc3339(at(-1, 250_000_000))).toBe("1969-12-31T23:59:59.250Z");
  });

  it("always writes UTC", () => {
    expect(formatRfc3339(parseRfc3339("2024-06-01T10:00:00-07:00")!)).toBe("2024-06-01T17:00:00Z");
  });
});

describe("addMilliseconds", () => {
  it("adds within a second", () => {
    expect(addMilliseconds(at(10, 100_000_000), 250)).toEqual(at(10, 350_000_000));
  });

  it("carries across second boundaries", () => {
    expect(addMilliseconds(at(10, 900_000_000), 200)).toEqual(at(11, 100_000_000));
    expect(addMilliseconds(at(10, 999_999_999), 0.000001)).toEqual(at(11, 0));
    expect(addMilliseconds(at(10, 0), 90 * 24 * 3600 * 1000)).toEqual(at(10 + 90 * 24 * 3600, 0));
  });

  it("subtracts with a borrow", () => {
    expect(addMilliseconds(at(10, 100_000_000), -200)).toEqual(at(9, 900_000_000));
    expect(addMilliseconds(at(0, 0), -1)).toEqual(at(-1, 999_000_000));
    expect(addMilliseconds(at(10, 0), -1000)).toEqual(at(9, 0));
  });

  it("keeps sub-millisecond precision of the instant", () => {
    expect(addMilliseconds(at(10, 123_456_789), 1000)).toEqual(at(11, 123_456_789));
  });
});

describe("instantFromDate", () => {
  it("splits milliseconds into seconds and nanos, also before 1970", () => {
    expect(instantFromDate(new Date(1500))).toEqual(at(1, 500_000_000));
    expect(instantFromDate(new Date(-1))).toEqual(at(-1, 999_000_000));
    expect(instantFromDate(new Date(-1000))).toEqual(at(-1, 0));
  });
});
