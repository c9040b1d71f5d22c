// The Fetch standard's Headers, for connect inside the provider bundle (scripts/build.mjs injects it for every
// reference to the global `Headers` there; no global changes). Node's own Headers lives in its bundled undici,
// which node loads, parses and compiles whole on first use (104 M instructions for `new Headers()` in `node -e`;
// 73 M of every configured provider process's Configure), for a class connect uses as a case-insensitive multimap.
// This one behaves as node's does for everything connect does with it (test/gateway/fetch-headers.test.ts and
// fetch-headers-in-connect.test.ts run both side by side): lower-cased names,
// values trimmed of HTTP whitespace, invalid names and values refused with a TypeError, repeated fields joined by
// ", " (Set-Cookie kept apart), and iteration sorted by name and live, as undici's is.

/** A field name is an HTTP token (RFC 9110). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** HTTP whitespace at either end of a value, which the standard strips. */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
/** What a value may not contain once trimmed. */
const NOT_IN_VALUE = /[\0\r\n]/;
/** A ByteString (WebIDL) has no code unit above 0xFF. */
const NOT_A_BYTE = /[^\x00-\xff]/;
const SET_COOKIE = "set-cookie";

type HeadersInit = Iterable<Iterable<unknown>> | Record<string, unknown>;
type Entry = [name: string, value: string];

function arity(method: string, given: number, needed: number): void {
  if (given < needed) throw new TypeError(`Headers.${method}: ${needed} argument${needed > 1 ? "s" : ""} required, but only ${given} found.`);
}

/** WebIDL's ByteString conversion: ToString (a symbol throws), then no character above U+00FF. */
function byteString(value: unknown): string {
  if (typeof value === "symbol") throw new TypeError("a symbol cannot be converted to a ByteString.");
  const text = `${value as string}`;
  if (NOT_A_BYTE.test(text)) throw new TypeError("Cannot convert argument to a ByteString: a character is greater than 255.");
  return text;
}

function fieldName(method: string, name: unknown): string {
  const text = byteString(name);
  if (!TOKEN.test(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header name.`);
  return text.toLowerCase();
}

function fieldValue(method: string, value: unknown): string {
  const text = byteString(value).replace(EDGE_WHITESPACE, "");
  if (NOT_IN_VALUE.test(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header value.`);
  return text;
}

export class FetchHeaders {
  /** Lower-cased name → its values in the order appended. */
  readonly #fields = new Map<string, string[]>();
  /** The sorted, combined list iteration walks; dropped on every change. */
  #sorted: Entry[] | undefined;

  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (typeof init !== "object" || init === null) {
      throw new TypeError("Headers constructor: Argument 1 could not be converted to one of: sequence<sequence<ByteString>>, record<ByteString, ByteString>.");
    }
    if (init instanceof FetchHeaders) {
      // connect copies Headers several times per call: fields already checked need no second check, and the
      // sorted list (never changed in place, only replaced) can be shared.
      for (const [name, values] of init.#fields) this.#fields.set(name, [...values]);
      this.#sorted = init.#sorted;
    } else if (Symbol.iterator in init) {
      for (const pair of init as Iterable<Iterable<unknown>>) {
        const items = Array.isArray(pair) ? (pair as unknown[]) : [...pair];
        if (items.length !== 2) throw new TypeError(`Headers constructor: expected name/value pair to be length 2, found ${items.length}.`);
        this.#append("append", items[0], items[1]);
      }
    } else {
      // Every own key, as node's does (a symbol key throws in the conversion).
      for (const name of Reflect.ownKeys(init)) this.#append("append", name, (init as Record<PropertyKey, unknown>)[name]);
    }
  }

  append(name: string, value: string): void {
    arity("append", arguments.length, 2);
    this.#append("append", name, value);
  }

  delete(name: string): void {
    arity("delete", arguments.length, 1);
    if (this.#fields.delete(fieldName("delete", name))) this.#sorted = undefined;
  }

  get(name: string): string | null {
    arity("get", arguments.length, 1);
    return this.#fields.get(fieldName("get", name))?.join(", ") ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.#fields.get(SET_COOKIE) ?? [])];
  }

  has(name: string): boolean {
    arity("has", arguments.length, 1);
    return this.#fields.has(fieldName("has", name));
  }

  set(name: string, value: string): void {
    arity("set", arguments.length, 2);
    const key = fieldName("set", name);
    this.#fields.set(key, [fieldValue("set", value)]);
    this.#sorted = undefined;
  }

  forEach(callback: (value: string, name: string, headers: FetchHeaders) => void, thisArg?: unknown): void {
    arity("forEach", arguments.length, 1);
    if (typeof callback !== "function") throw new TypeError("Headers.forEach: the callback is not a function.");
    // Live, as iteration is (a callback may change the headers), without an iterator and a copied entry per step.
    for (let index = 0; ; index++) {
      const sorted = this.#sortedEntries();
      if (index >= sorted.length) return;
      callback.call(thisArg, sorted[index][1], sorted[index][0], this);
    }
  }

  entries(): IterableIterator<Entry> {
    return this.#iterate((entry) => [entry[0], entry[1]]);
  }

  keys(): IterableIterator<string> {
    return this.#iterate((entry) => entry[0]);
  }

  values(): IterableIterator<string> {
    return this.#iterate((entry) => entry[1]);
  }

  [Symbol.iterator](): IterableIterator<Entry> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }

  #append(method: string, name: unknown, value: unknown): void {
    const key = fieldName(method, name);
    const text = fieldValue(method, value);
    const values = this.#fields.get(key);
    if (values) values.push(text);
    else this.#fields.set(key, [text]);
    this.#sorted = undefined;
  }

  /** Live, as undici's: each step reads the current sorted list at the next index. */
  #iterate<T>(pick: (entry: Entry) => T): IterableIterator<T> {
    let index = 0;
    const iterator: IterableIterator<T> = {
      next: () => {
        const sorted = this.#sortedEntries();
        return index < sorted.length ? { value: pick(sorted[index++]), done: false } : { value: undefined, done: true };
      },
      [Symbol.iterator]: () => iterator,
    };
    return iterator;
  }

  #sortedEntries(): Entry[] {
    if (this.#sorted) return this.#sorted;
    const sorted: Entry[] = [];
    const names = [...this.#fields.keys()];
    if (names.length > 1) names.sort();
    for (const name of names) {
      const values = this.#fields.get(name)!;
      if (name === SET_COOKIE) for (const value of values) sorted.push([name, value]);
      else sorted.push([name, values.join(", ")]);
    }
    return (this.#sorted = sorted);
  }
}

export { FetchHeaders as Headers };
