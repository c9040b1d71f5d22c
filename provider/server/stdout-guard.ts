// Imported first by the entry point: when Terraform launches us only the handshake line may reach stdout, so
// any console output (ours or a library's) is sent to stderr before other modules load.
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);
