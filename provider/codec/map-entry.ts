// A cty map's keys are the sender's: a key such as "__proto__" must become a plain property of the decoded map,
// never its prototype (an assignment would set the prototype instead).
import type { CtyValue } from "../../schema/cty";

export function setMapEntry(map: { [key: string]: CtyValue }, key: string, value: CtyValue): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
