// `agyn-local-gateway`: runs the local Gateway (`serve`) and mints tokens into its database
// (`mint-token`). Bundled into dist/local-gateway.js; bin/agyn-local-gateway launches it.
import { parseArgs } from "node:util";
import { z } from "zod";
import { BOOTSTRAP_TOKEN_MIN_LENGTH, bootstrapTokenProblem } from "../gateway/local/auth";
import { DEFAULT_TOKEN_DESCRIPTION, mintLocalToken } from "../gateway/local/mint-token";
import { BatchedLines } from "../gateway/local/batched-lines";
import { openGatewayDatabase } from "../gateway/local/database";
import { type LocalGateway, type LocalGatewayOptions, startLocalGateway } from "../gateway/local/server";
import { captureNoStackTraces } from "../gateway/local/stack-traces";
import { GatewayStore } from "../gateway/local/store";
import { certificateProblems, describeCertificate, loadTlsFiles } from "../gateway/local/tls-files";
import {
  WORKERS_MAX,
  isGatewayWorker,
  leavePrimary,
  reportFailure,
  reportListening,
  startGatewayWorkers,
  workerNumber,
} from "../gateway/local/worker-processes";
import { API_TOKEN_SECRET_SHAPE } from "../gateway/token-format";
import { redactSecrets, registerSecretPattern, registerSecretValue } from "../provider/logging/secret-redaction";

const PROGRAM = "agyn-local-gateway";

/** The documented way to pass the bootstrap admin token: unlike a flag, it does not show up in `ps`. */
export const ADMIN_TOKEN_ENV = "AGYN_LOCAL_GATEWAY_ADMIN_TOKEN";
/** The variable's earlier name, still read so existing setups keep working. */
export const LEGACY_ADMIN_TOKEN_ENV = "AGYN_LOCAL_GATEWAY_BOOTSTRAP_TOKEN";

export const USAGE = `Usage:
  ${PROGRAM} serve --db FILE [--host 127.0.0.1] [--port N] [--tls-cert FILE --tls-key FILE] [--admin-token TOKEN] [--workers N]
      Serves the agyn UsersGateway API from the SQLite database FILE (created when missing).
      Prints the base URL as the first line on stdout once it accepts requests; logs go to stderr.
      --port 0 (the default) picks any free port. Stops on SIGTERM or SIGINT.
      --workers N (default 1, at most ${WORKERS_MAX}) serves the port from N processes, each client
      connection staying with one; it stops as a whole when any of them exits. Another
      worker's last_used_at stamps reach an answer within 1 s.
      --tls-cert and --tls-key (PEM files: the certificate, optionally followed by its chain, and
      its unencrypted key) serve HTTPS, HTTP/2 and HTTP/1.1 by ALPN; the URL then names --host,
      which the certificate must name too (e.g. --host localhost).
      ${ADMIN_TOKEN_ENV} (or --admin-token TOKEN) sets a bootstrap admin token: it may
      manage users like a cluster admin but has no user record, so GetMe and the API-token methods
      refuse it. At least ${BOOTSTRAP_TOKEN_MIN_LENGTH} characters, not starting with agyn_. Prefer the variable: a flag
      is visible to other local users in ps. The flag wins over the variable, and the older name
      ${LEGACY_ADMIN_TOKEN_ENV} is still read.
  ${PROGRAM} mint-token --db FILE --subject SUBJECT [--name NAME] [--admin] [--description TEXT]
      Creates the user with OIDC subject SUBJECT when missing (NAME is its display name), grants it
      the cluster admin role with --admin, and prints one new API token on stdout; stderr names the
      user and its username (derived from NAME, else from SUBJECT, when the user is created).
      TEXT names the token (default "${DEFAULT_TOKEN_DESCRIPTION}").
`;

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const nonEmpty = (what: string) => z.string({ error: `${what} is required` }).min(1, `${what} must not be empty`);

const ServeArgs = z.object({
  db: nonEmpty("--db FILE"),
  host: nonEmpty("--host").default("127.0.0.1"),
  port: z
    .string()
    .regex(/^\d+$/, "--port must be a whole number")
    .transform(Number)
    .pipe(z.number().max(65535, "--port must be at most 65535"))
    .default(0),
  "admin-token": z.string().optional(),
  "tls-cert": nonEmpty("--tls-cert FILE").optional(),
  "tls-key": nonEmpty("--tls-key FILE").optional(),
  workers: z
    .string()
    .regex(/^\d+$/, "--workers must be a whole number")
    .transform(Number)
    .pipe(z.number().min(1, "--workers must be at least 1").max(WORKERS_MAX, `--workers must be at most ${WORKERS_MAX}`))
    .default(1),
}).refine((args) => (args["tls-cert"] === undefined) === (args["tls-key"] === undefined), {
  message: "--tls-cert and --tls-key go together: give both or neither",
});

const MintTokenArgs = z.object({
  db: nonEmpty("--db FILE"),
  subject: nonEmpty("--subject SUBJECT"),
  name: nonEmpty("--name").optional(),
  admin: z.boolean().default(false),
  description: nonEmpty("--description").optional(),
});

class UsageError extends Error {}

/** Runs one command; resolves to the process exit code (2 for usage errors). */
export async function main(argv: readonly string[], io: CliIo = process): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "serve":
        return await serve(parse(ServeArgs, rest, { db: {}, host: {}, port: {}, "admin-token": {}, "tls-cert": {}, "tls-key": {}, workers: {} }), io);
      case "mint-token":
        return mintToken(parse(MintTokenArgs, rest, { db: {}, subject: {}, name: {}, admin: { boolean: true }, description: {} }), io);
      case "help":
      case "--help":
      case "-h":
        io.stdout.write(USAGE);
        return 0;
      case undefined:
        throw new UsageError("missing command");
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${PROGRAM}: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr.write(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function parse<T extends z.ZodType>(
  schema: T,
  args: readonly string[],
  options: Record<string, { boolean?: true }>,
): z.output<T> {
  let values: Record<string, unknown>;
  try {
    const spec = Object.fromEntries(
      Object.entries(options).map(([name, o]) => [name, { type: o.boolean ? ("boolean" as const) : ("string" as const) }]),
    );
    values = parseArgs({ args: [...args], options: spec, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const result = schema.safeParse(values);
  if (!result.success) throw new UsageError(result.error.issues.map((issue) => issue.message).join("; "));
  return result.data;
}

interface AdminToken {
  readonly token: string;
  /** Where it came from, for messages: the flag or the variable's name (never the token). */
  readonly source: string;
}

/** The bootstrap admin token from --admin-token or the environment, checked; undefined when none is set. */
function adminToken(flag: string | undefined, env: NodeJS.ProcessEnv): AdminToken | undefined {
  let chosen: AdminToken | undefined;
  if (flag !== undefined) {
    chosen = { token: flag, source: "--admin-token" };
  } else {
    const current = env[ADMIN_TOKEN_ENV] || undefined;
    const legacy = env[LEGACY_ADMIN_TOKEN_ENV] || undefined;
    if (current !== undefined && legacy !== undefined && current !== legacy) {
      throw new UsageError(`${ADMIN_TOKEN_ENV} and ${LEGACY_ADMIN_TOKEN_ENV} are both set, to different values; set only one`);
    }
    if (current !== undefined) chosen = { token: current, source: ADMIN_TOKEN_ENV };
    else if (legacy !== undefined) chosen = { token: legacy, source: LEGACY_ADMIN_TOKEN_ENV };
  }
  if (chosen === undefined) return undefined;
  const problem = bootstrapTokenProblem(chosen.token);
  if (problem) throw new UsageError(`the bootstrap admin token (${chosen.source}) ${problem}`);
  return chosen;
}

async function serve(args: z.output<typeof ServeArgs>, io: CliIo): Promise<number> {
  captureNoStackTraces();
  // Call lines quote what clients sent (their User-Agent): nothing token-shaped reaches the log.
  registerSecretPattern(API_TOKEN_SECRET_SHAPE);
  const lines = new BatchedLines((text) => io.stderr.write(text));
  const flushLines = () => lines.flush();
  process.once("exit", flushLines);
  // With several workers, each names itself at the end of its lines (after what log readers match on).
  const worker = workerNumber();
  const suffix = worker === undefined ? "" : ` worker=${worker}`;
  const log = (line: string) => lines.add(`${PROGRAM}: ${redactSecrets(line)}${suffix}`);
  try {
    return await (isGatewayWorker() ? serveAsWorker(args, log) : serveLogging(args, io, log));
  } finally {
    lines.flush();
    process.off("exit", flushLines);
    if (isGatewayWorker()) leavePrimary();
  }
}

/** What serve runs: one Gateway in this process, or the workers that serve for it. */
interface Serving {
  readonly url: string;
  /** Resolves when the Gateway went down by itself (a worker exited), saying how. */
  readonly lost: Promise<string>;
  close(): Promise<void>;
}

async function serveLogging(args: z.output<typeof ServeArgs>, io: CliIo, log: (line: string) => void): Promise<number> {
  const { admin, tls } = serveInputs(args);
  // Listen for signals before announcing the URL: whoever reads the URL may signal us right away.
  const stopSignal = nextStopSignal();
  let serving: Serving;
  let serves: string;
  if (args.workers > 1) {
    // Created and migrated here, once, before the workers open it side by side.
    openGatewayDatabase(args.db).close();
    const workers = await startGatewayWorkers(args.workers);
    serving = { url: workers.url, lost: workers.lost, close: () => workers.stop() };
    serves = ` with ${args.workers} worker processes (pids ${workers.pids.join(", ")})`;
  } else {
    const gateway = await startLocalGateway(gatewayOptions(args, tls, admin, log));
    serving = { url: gateway.url, lost: new Promise<string>(() => {}), close: () => gateway.close() };
    serves = "";
  }
  // The first stdout line is the contract with whoever started us: the URL, once requests are accepted.
  io.stdout.write(`${serving.url}\n`);
  log(`serving ${serving.url} from ${args.db}${serves}`);
  if (tls) {
    log(`TLS: ${describeCertificate(tls.certificate)}`);
    for (const problem of certificateProblems(tls.certificate, new URL(serving.url).hostname)) {
      log(`warning: ${problem}; clients will refuse ${serving.url}`);
    }
  }
  if (admin) log(`bootstrap admin token accepted (from ${admin.source})`);
  if (admin?.source === "--admin-token") log(`note: --admin-token is visible to other local users in ps; prefer ${ADMIN_TOKEN_ENV}`);
  const ended = await Promise.race([stopSignal.then((signal) => ({ signal })), serving.lost.then((lost) => ({ lost }))]);
  if ("lost" in ended) {
    log(ended.lost);
    // The lost worker is gone already; the others' stops are part of the same failure.
    await serving.close().catch((error: unknown) => log(error instanceof Error ? error.message : String(error)));
    return 1;
  }
  log(`${ended.signal} received, shutting down`);
  await serving.close();
  return 0;
}

/**
 * One of `serve --workers N`'s processes: the primary has checked the arguments already, and reports anything
 * that keeps this one from serving. The primary stops it with SIGTERM; SIGINT (a terminal's Ctrl-C reaches the
 * whole process group) is the primary's to act on.
 */
async function serveAsWorker(args: z.output<typeof ServeArgs>, log: (line: string) => void): Promise<number> {
  process.on("SIGINT", () => {});
  const stopped = new Promise<void>((resolve) => process.once("SIGTERM", () => resolve()));
  let gateway: LocalGateway;
  try {
    const { admin, tls } = serveInputs(args);
    gateway = await startLocalGateway(gatewayOptions(args, tls, admin, log));
  } catch (error) {
    reportFailure(error instanceof Error ? error.message : String(error));
    return 1;
  }
  reportListening(gateway.url);
  await stopped;
  await gateway.close();
  return 0;
}

/** What every serving process reads for itself: the bootstrap admin token (registered as a secret) and the TLS files. */
function serveInputs(args: z.output<typeof ServeArgs>): { admin: AdminToken | undefined; tls: ReturnType<typeof loadTlsFiles> | undefined } {
  const admin = adminToken(args["admin-token"], process.env);
  if (admin) registerSecretValue(admin.token);
  const tls = args["tls-cert"] && args["tls-key"] ? loadTlsFiles({ certFile: args["tls-cert"], keyFile: args["tls-key"] }) : undefined;
  return { admin, tls };
}

function gatewayOptions(
  args: z.output<typeof ServeArgs>,
  tls: ReturnType<typeof loadTlsFiles> | undefined,
  admin: AdminToken | undefined,
  log: (line: string) => void,
): LocalGatewayOptions {
  return { dbPath: args.db, host: args.host, port: args.port, tls: tls?.tls, bootstrapToken: admin?.token, log };
}

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (received: NodeJS.Signals) => {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      resolve(received);
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
  });
}

function mintToken(args: z.output<typeof MintTokenArgs>, io: CliIo): number {
  const store = GatewayStore.open(args.db);
  try {
    const minted = mintLocalToken(store, {
      subject: args.subject,
      name: args.name,
      admin: args.admin,
      description: args.description,
    });
    io.stdout.write(`${minted.plaintext}\n`);
    // The username may have been derived (from --name, else the subject): lookups by username need it.
    const { user } = minted;
    const promotion = minted.promoted ? "; the existing user was granted the cluster admin role (minting without --admin does not take it back)" : "";
    io.stderr.write(`${PROGRAM}: token for user "${user.username}" (identity ${user.id}, subject ${user.oidcSubject}); look it up with username = "${user.username}"${promotion}\n`);
    return 0;
  } finally {
    store.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${PROGRAM}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
