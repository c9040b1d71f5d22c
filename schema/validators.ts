// Reusable attribute validators. They see known, non-null values only and report with the attribute path.
import { error } from "./diagnostics";
import type { Validator } from "./declaration";

export function nonEmptyString(): Validator {
  return {
    description: "must not be empty",
    validate(value, path) {
      return typeof value === "string" && value.length > 0 ? [] : [error("Invalid value", "Must not be empty.", path)];
    },
  };
}

/** A check written as a function returning an error detail (or nothing when the value is fine). */
export function check(description: string, detailOf: (value: string) => string | undefined, summary = "Invalid value"): Validator {
  return {
    description,
    validate(value, path) {
      if (typeof value !== "string") return [];
      const detail = detailOf(value);
      return detail === undefined ? [] : [error(summary, detail, path)];
    },
  };
}
