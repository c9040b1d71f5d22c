// The plugin server Terraform launches: binds a gRPC server on a unix socket (mutual TLS with Terraform's
// client certificate, or plaintext for debug/reattach), serves one protocol version plus go-plugin's
// controller and health services, and exits promptly when Terraform says Shutdown.
import * as grpc from "@grpc/grpc-js";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GRPCController } from "../../gen/plugin/grpc_controller_pb";
import { Health } from "../../gen/grpc/health/v1/health_pb";
import type { ProviderCore } from "../core/provider-core";
import { addUnaryService } from "../protocol/grpc-service";
import type { ProtocolVersion } from "./handshake";
import type { Logger } from "../logging/logger";
import { createServerCertificate } from "./tls-certificate";
import { codeCacheStatus } from "../startup/code-cache";

/** Terraform sends whole states and configurations; grpc-js's 4 MiB default is too small. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface RunningServer {
  socketPath: string;
  /** Standard base64 (unpadded) of our certificate's DER; empty when serving plaintext. */
  certBase64: string;
  shutdown(): Promise<void>;
}

export async function startPluginServer<S>(options: {
  core: ProviderCore<S>;
  protocol: ProtocolVersion;
  clientCertPem?: string;
  log: Logger;
  onShutdown: () => void;
}): Promise<RunningServer> {
  const { core, protocol, log } = options;
  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
    // Channelz counts and timestamps every call and message for an introspection service nobody can reach here.
    "grpc.enable_channelz": 0,
  });
  // Only the negotiated protocol's descriptors are loaded: decoding both costs start-up time for nothing.
  if (protocol === 6) {
    const { protocol6Handlers, protocol6Service } = await import("../protocol/protocol6");
    addUnaryService(server, protocol6Service, protocol6Handlers(core), log);
  } else {
    const { protocol5Handlers, protocol5Service } = await import("../protocol/protocol5");
    addUnaryService(server, protocol5Service, protocol5Handlers(core), log);
  }

  addUnaryService(server, GRPCController, {
    async shutdown() {
      log.debug("shutdown requested by Terraform");
      // Answer first, then exit: Terraform waits for the reply, then for the process to end.
      setImmediate(options.onShutdown);
      return {};
    },
  }, log);
  addUnaryService(server, Health, {
    async check(req) {
      // go-plugin checks the service named "plugin"; the empty name means the server as a whole.
      return { status: req.service === "plugin" || req.service === "" ? 1 : 3 };
    },
  }, log);

  let credentials = grpc.ServerCredentials.createInsecure();
  let certBase64 = "";
  if (options.clientCertPem) {
    const cert = createServerCertificate();
    certBase64 = cert.derBase64Unpadded;
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(options.clientCertPem),
      [{ cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) }],
      true, // require and verify Terraform's client certificate
    );
  }

  const socketDir = process.env.PLUGIN_UNIX_SOCKET_DIR || tmpdir();
  const socketPath = join(socketDir, `plugin-${core.providerName}-${process.pid}-${randomBytes(4).toString("hex")}.sock`);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${socketPath}`, credentials, (err) => (err ? reject(err) : resolve())),
  );
  log.debug("plugin server listening", {
    socket: socketPath,
    protocol,
    tls: Boolean(options.clientCertPem),
    code_cache: codeCacheStatus() ?? "not started through the launcher",
  });

  let closed = false;
  return {
    socketPath,
    certBase64,
    async shutdown() {
      if (closed) return;
      closed = true;
      // Graceful first, so the Shutdown reply itself still reaches Terraform; forced if a call hangs.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      rmSync(socketPath, { force: true });
    },
  };
}
