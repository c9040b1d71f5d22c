// Malformed plugin-protocol requests for the protocol fuzz (test/protocol/fuzz.test.ts): well-formed protobuf
// whose contents are anything Terraform would never send — undecodable or wrongly typed DynamicValues, unknown
// values in odd places, huge and deeply nested values, strange type names, import ids and private state, and
// secret-shaped strings that must never come back. Everything is drawn from one seeded PRNG.
import { encode, ExtData } from "@msgpack/msgpack";
import { formatApiToken } from "../../gateway/token-format";
import type { Random } from "./seeded-random";

/** An attribute as GetProviderSchema describes it: its name and cty type JSON. */
export interface WireAttribute {
  readonly name: string;
  readonly type: unknown;
}

export interface TypeSchemas {
  readonly resources: ReadonlyMap<string, readonly WireAttribute[]>;
  readonly dataSources: ReadonlyMap<string, readonly WireAttribute[]>;
}

export interface FuzzRequest {
  /** The RPC's name in the negotiated protocol. */
  readonly method: string;
  readonly body: Record<string, unknown>;
}

/** RPC names by what they do, per protocol version. Stop is left out on purpose: it cancels for good. */
export function fuzzedRpcs(version: number) {
  const v5 = version === 5;
  return {
    schema: v5 ? "GetSchema" : "GetProviderSchema",
    validateProvider: v5 ? "PrepareProviderConfig" : "ValidateProviderConfig",
    validateResource: v5 ? "ValidateResourceTypeConfig" : "ValidateResourceConfig",
    validateData: v5 ? "ValidateDataSourceConfig" : "ValidateDataResourceConfig",
    configure: v5 ? "Configure" : "ConfigureProvider",
  };
}

const UNKNOWN = new ExtData(0, Uint8Array.of(0));
const DEEP_MARK = "\u0001deep\u0001";

export class MalformedRequests {
  /** Secrets planted in requests: a response containing one leaked it. */
  readonly planted: string[] = [];

  constructor(private readonly r: Random, private readonly version: number, private readonly schemas: TypeSchemas) {
    for (let i = 0; i < 4; i++) {
      const bytes = new Uint8Array(32);
      for (let j = 0; j < 32; j++) bytes[j] = r.int(256);
      this.planted.push(formatApiToken(bytes));
    }
  }

  /** One request for any RPC but Configure and Stop. */
  next(): FuzzRequest {
    const r = this.r;
    const names = fuzzedRpcs(this.version);
    const resource = () => this.typeName(this.schemas.resources);
    const data = () => this.typeName(this.schemas.dataSources);
    const choices: (() => FuzzRequest)[] = [
      () => ({ method: names.validateProvider, body: { config: this.value(undefined) } }),
      () => {
        const t = resource();
        return { method: names.validateResource, body: { typeName: t, config: this.value(this.schemas.resources.get(t)), clientCapabilities: { writeOnlyAttributesAllowed: r.chance(0.5) } } };
      },
      () => {
        const t = data();
        return { method: names.validateData, body: { typeName: t, config: this.value(this.schemas.dataSources.get(t)) } };
      },
      () => {
        const t = resource();
        return {
          method: "UpgradeResourceState",
          body: { typeName: t, version: BigInt(r.pick([0, 1, 2, -1, 99, 2 ** 40])), rawState: { json: this.jsonBytes(this.schemas.resources.get(t)), flatmap: r.chance(0.1) ? { a: "b", "x.#": "1" } : {} } },
        };
      },
      () => {
        const t = resource();
        return { method: "ReadResource", body: { typeName: t, currentState: this.value(this.schemas.resources.get(t)), private: this.privateBytes() } };
      },
      () => {
        const t = resource();
        const attrs = this.schemas.resources.get(t);
        return {
          method: "PlanResourceChange",
          body: { typeName: t, priorState: this.value(attrs), proposedNewState: this.value(attrs), config: this.value(attrs), priorPrivate: this.privateBytes() },
        };
      },
      () => {
        const t = resource();
        const attrs = this.schemas.resources.get(t);
        return {
          method: "ApplyResourceChange",
          body: { typeName: t, priorState: this.value(attrs), plannedState: this.value(attrs), config: this.value(attrs), plannedPrivate: this.privateBytes() },
        };
      },
      () => ({ method: "ImportResourceState", body: { typeName: resource(), id: this.text() } }),
      () => ({ method: "MoveResourceState", body: { sourceTypeName: this.text(), targetTypeName: resource(), sourceSchemaVersion: BigInt(r.int(5)) } }),
      () => {
        const t = data();
        return { method: "ReadDataSource", body: { typeName: t, config: this.value(this.schemas.dataSources.get(t)) } };
      },
      () => ({ method: "ValidateEphemeralResourceConfig", body: { typeName: this.text(), config: this.value(undefined) } }),
      () => ({ method: "OpenEphemeralResource", body: { typeName: this.text(), config: this.value(undefined) } }),
      () => ({ method: "RenewEphemeralResource", body: { typeName: this.text(), private: this.privateBytes() } }),
      () => ({ method: "CloseEphemeralResource", body: { typeName: this.text(), private: this.privateBytes() } }),
      () => ({ method: "CallFunction", body: { name: this.text() } }),
      () => ({ method: r.pick(["GetMetadata", "GetFunctions", names.schema]), body: {} }),
    ];
    return r.pick(choices)();
  }

  /** A provider configuration for Configure: mostly one that cannot hang on the network. */
  configure(gatewayUrl: string): FuzzRequest {
    const r = this.r;
    const gateway = r.pick([gatewayUrl, "http://127.0.0.1:1", "not a url", "ftp://x", "", this.text(), UNKNOWN, null, 42]);
    const config = {
      gateway, token: r.pick([this.planted[0], "", null, UNKNOWN, this.text(), 7]), profile: r.pick([null, this.text(), UNKNOWN]),
      ca_file: r.pick([null, "/nonexistent.pem", this.text()]), allow_insecure_http: r.pick([null, true, false, "yes", UNKNOWN]),
      request_timeout: r.pick(["200ms", "200ms", "1h1ms", "-1s", "9999999999h", this.text(), UNKNOWN]),
      max_retries: r.pick([0, 0, -1, 1.5, 21, 1e300, "3", UNKNOWN]),
      api_url: r.pick([null, null, gatewayUrl, this.text()]), api_token: r.pick([null, null, this.planted[1]]),
    };
    return { method: fuzzedRpcs(this.version).configure, body: { terraformVersion: this.text(), config: r.chance(0.8) ? { msgpack: encode(config) } : this.value(undefined) } };
  }

  private typeName(known: ReadonlyMap<string, readonly WireAttribute[]>): string {
    return this.r.chance(0.85) ? this.r.pick([...known.keys()]) : this.text();
  }

  /** A DynamicValue: valid for the type now and then, but mostly broken in one of many ways. */
  private value(attrs: readonly WireAttribute[] | undefined): { msgpack?: Uint8Array; json?: Uint8Array } {
    const r = this.r;
    const object = () => Object.fromEntries((attrs ?? []).map((a) => [a.name, this.attributeValue(a)]));
    switch (r.int(12)) {
      case 0:
      case 1:
      case 2:
        return { msgpack: encode(object(), { ignoreUndefined: true }) };
      case 3: {
        const o = object();
        const names = Object.keys(o);
        if (names.length > 0) delete o[r.pick(names)];
        if (r.chance(0.5)) o[this.text()] = this.anything(2);
        return { msgpack: encode(o) };
      }
      case 4:
        return { msgpack: encode(this.anything(4)) };
      case 5:
        return { msgpack: this.bytes(r.int(64)) };
      case 6: {
        const valid = encode(object());
        const cut = valid.slice(0, r.int(valid.length + 1));
        if (cut.length > 0 && r.chance(0.5)) cut[r.int(cut.length)] ^= 1 << r.int(8);
        return { msgpack: cut };
      }
      case 7:
        return { json: this.jsonBytes(attrs) };
      case 8:
        return { msgpack: encode(object()), json: this.jsonBytes(attrs) };
      case 9:
        return { msgpack: encode(r.chance(0.5) ? UNKNOWN : new ExtData(r.int(128), this.bytes(r.int(8)))) };
      case 10: {
        // Deep nesting (written as bytes: one-element arrays around "x") and huge strings.
        const o = object();
        const names = Object.keys(o);
        if (names.length === 0) return { msgpack: encode("y".repeat(200_000)) };
        if (r.chance(0.5)) {
          o[r.pick(names)] = "y".repeat(r.pick([10_000, 200_000]));
          return { msgpack: encode(o) };
        }
        o[r.pick(names)] = DEEP_MARK;
        const bytes = encode(o);
        const mark = encode(DEEP_MARK);
        const at = Buffer.from(bytes).indexOf(Buffer.from(mark));
        const depth = r.pick([100, 1000, 10_000]);
        return { msgpack: Buffer.concat([bytes.subarray(0, at), Buffer.alloc(depth, 0x91), Buffer.from([0xa1, 0x78]), bytes.subarray(at + mark.length)]) };
      }
      default:
        return {};
    }
  }

  private attributeValue(a: WireAttribute): unknown {
    const r = this.r;
    if (r.chance(0.15)) return this.anything(2);
    if (r.chance(0.1)) return r.chance(0.7) ? UNKNOWN : new ExtData(12, this.bytes(r.int(6)));
    if (r.chance(0.2)) return null;
    switch (a.type) {
      case "bool":
        return r.chance(0.5);
      case "number":
        return r.pick([0, 1, -1, 2 ** 53, 1e308, Number.NaN, 0.1]);
      default:
        return this.text();
    }
  }

  private anything(depth: number): unknown {
    const r = this.r;
    const kind = depth <= 0 ? r.int(5) : r.int(8);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return r.chance(0.5);
      case 2:
        return r.pick([0, -1, 1.5, 2 ** 64, -(2 ** 63), Number.POSITIVE_INFINITY]);
      case 3:
        return this.text();
      case 4:
        return this.bytes(r.int(16));
      case 5:
        return Array.from({ length: r.int(4) }, () => this.anything(depth - 1));
      case 6:
        return Object.fromEntries(Array.from({ length: r.int(4) }, () => [this.text(), this.anything(depth - 1)]));
      default:
        return r.chance(0.5) ? UNKNOWN : new ExtData(r.int(128), this.bytes(r.int(8)));
    }
  }

  /** Strings a person or a bug might send: ids, instants, durations, secrets (whole or cut), junk. */
  text(): string {
    const r = this.r;
    const secret = r.pick(this.planted);
    return r.pick([
      "", " ", "ci", "agyn_user", "agyn_api_token", this.uuid(), this.uuid().toUpperCase(), "not-a-uuid",
      "2027-06-01T00:00:00Z", "2027-02-30T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
      "1h", "2160h", "2562047h47m16.854775808s", "99999999999999h", "-1h", "1d", "0",
      secret, secret.slice(0, 5 + 4 + r.int(40)), `  ${secret}  `, `Bearer ${secret}`, `"${secret.slice(0, 20)}…`,
      "é\u0000\u001b[31m\ud800", "x".repeat(r.pick([65, 1000, 100_000])), "../../etc/passwd", "${var.x}",
      String(r.next()),
    ]);
  }

  private jsonBytes(attrs: readonly WireAttribute[] | undefined): Uint8Array {
    const r = this.r;
    if (r.chance(0.3)) return this.bytes(r.int(40));
    const o: Record<string, unknown> = Object.fromEntries((attrs ?? []).map((a) => [a.name, r.chance(0.8) ? this.text() : r.pick([1, true, null, [], {}])]));
    const text = r.chance(0.2) ? JSON.stringify(o).slice(0, r.int(40)) : JSON.stringify(o);
    return new TextEncoder().encode(text);
  }

  private privateBytes(): Uint8Array {
    const r = this.r;
    switch (r.int(4)) {
      case 0:
        return new Uint8Array();
      case 1:
        return this.bytes(r.int(32));
      case 2:
        return new TextEncoder().encode(JSON.stringify({ lostCreate: { name: this.text(), fromMs: r.pick([0, -1, 1e20, Date.now()]), toMs: r.pick([Date.now(), Number.NaN]) } }));
      default:
        return new TextEncoder().encode(r.pick(["{}", "null", "[]", '{"lostCreate":7}', "{"]));
    }
  }

  private uuid(): string {
    const hex = Array.from(this.bytes(16), (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.r.int(256);
    return out;
  }
}
