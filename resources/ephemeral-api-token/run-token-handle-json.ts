// The JSON shape of a run token handle, checked with zod when Close reads one back. Its own module, loaded by
// decodeRunTokenHandle on first use, so a provider process that never closes a run token never loads zod.
import { z } from "zod";
import { FORMAT_VERSION } from "./run-token-handle";

export const RunTokenHandleJson = z.object({
  v: z.literal(FORMAT_VERSION),
  key: z.string().min(1),
  id: z.string().min(1),
  prefix: z.string(),
  expires_at: z.string(),
});

export type RunTokenHandleJsonValue = z.input<typeof RunTokenHandleJson>;
