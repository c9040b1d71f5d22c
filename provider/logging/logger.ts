// hclog-compatible JSON lines on stderr, which Terraform re-emits through its own provider logger.
// Everything passes through the secret redactor first, so no log level can leak a credential.
import { redactSecrets } from "./secret-redaction";

export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";
const LEVELS: readonly (LogLevel | "off")[] = ["trace", "debug", "info", "warn", "error", "off"];
type Fields = Record<string, unknown>;

export interface Logger {
  trace(message: string, fields?: Fields): void;
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  with(fields: Fields): Logger;
}

/** The level Terraform would show: TF_LOG_PROVIDER wins over TF_LOG; unset means Terraform discards us anyway. */
export function levelFromEnvironment(env: NodeJS.ProcessEnv, fallback: LogLevel | "off" = "off"): LogLevel | "off" {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || "").trim().toLowerCase();
  if (raw === "") return fallback;
  if (raw === "json") return "trace";
  if (raw === "warning") return "warn";
  return (LEVELS as readonly string[]).includes(raw) ? (raw as LogLevel | "off") : "trace";
}

/** hclog parses @timestamp with exactly six fractional digits. */
export function hclogTimestamp(date: Date): string {
  return date.toISOString().replace("Z", "000Z");
}

export function createLogger(options: {
  level: LogLevel | "off";
  module?: string;
  write?: (line: string) => void;
  fields?: Fields;
}): Logger {
  const min = LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const base = options.fields ?? {};
  const emit = (level: LogLevel, message: string, fields?: Fields) => {
    if (LEVELS.indexOf(level) < min) return;
    const entry: Record<string, unknown> = {
      "@level": level,
      "@message": redactSecrets(String(message)),
      "@module": options.module ?? "provider",
      "@timestamp": hclogTimestamp(new Date()),
    };
    for (const [k, v] of Object.entries({ ...base, ...fields })) {
      if (k.startsWith("@")) continue; // hclog's reserved keys must stay strings we control
      entry[k] = typeof v === "string" ? redactSecrets(v) : v instanceof Error ? redactSecrets(v.message) : v;
    }
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      // Drop the offending fields before serialising again, so the fallback cannot throw the same way.
      for (const k of Object.keys(entry)) if (!k.startsWith("@")) delete entry[k];
      line = JSON.stringify({ ...entry, fields: "(unserialisable)" });
    }
    write(redactSecrets(line) + "\n");
  };
  return {
    trace: (m, f) => emit("trace", m, f),
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    with: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = createLogger({ level: "off" });
