import { z } from 'zod';
import { unreachableModelIdReason } from '../routing/model-string.ts';
import { capabilitiesSchema, routingSchema } from './routing-schema.ts';

const priceSchema = z
  .object({
    input: z.number().nonnegative().optional().describe('USD per million input tokens'),
    output: z.number().nonnegative().optional().describe('USD per million output tokens'),
    cache_read: z.number().nonnegative().optional().describe('USD per million cache-read tokens'),
    cache_write: z.number().nonnegative().optional().describe('USD per million cache-write tokens'),
  })
  .strict();

const deploymentSchema = z
  .object({
    provider: z
      .string()
      .min(1)
      .describe('a provider id from `providers` or an environment-activated provider'),
    model: z.string().min(1).describe("the provider's own model id"),
    price: priceSchema.optional(),
    context_window: z.number().int().positive().optional(),
    max_output_tokens: z.number().int().positive().optional(),
    weight: z
      .number()
      .positive()
      .optional()
      .describe('relative share of traffic among equally ranked deployments'),
    capabilities: capabilitiesSchema.optional(),
  })
  .strict();

/** A `models[]` item; also the shape of a model entry stored through the admin API or CLI. */
export const modelSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .superRefine((id, context) => {
        const reason = unreachableModelIdReason(id);
        if (reason !== undefined) context.addIssue({ code: 'custom', message: reason });
      })
      .describe('the stable model id clients use'),
    deployments: z.array(deploymentSchema).min(1),
    data_retention_days: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        "days this model's traces and stored bodies are kept, instead of traces.retention_days and traces.payload_retention_days; 0 stores no bodies and removes the trace at the next purge",
      ),
  })
  .strict();

const providerSchema = z
  .object({
    type: z.string().min(1).optional().describe('adapter or preset type; defaults to the provider id'),
    base_url: z.url().optional(),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: documents the ${VAR} syntax of the config file
    api_key: z.string().optional().describe('a key, or ${VAR} to read it from the environment'),
    headers: z.record(z.string(), z.string()).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const serverSchema = z
  .object({
    host: z.string().min(1).optional(),
    port: z.number().int().min(0).max(65535).optional(),
    body_limit: z
      .union([z.number().int().positive(), z.string().regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)?$/i)])
      .optional()
      .describe('bytes, or a size such as "10mb"'),
    shutdown_timeout_ms: z.number().int().nonnegative().optional(),
    first_byte_timeout_ms: z.number().int().positive().optional(),
    idle_timeout_ms: z.number().int().positive().optional(),
    master_key: z.string().min(1).optional(),
    registry_refresh_ms: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        'how often stored model entries are checked for changes made by other instances or the CLI (default 30000; 0 = never); env SWITCHYARD_REGISTRY_REFRESH_MS',
      ),
  })
  .strict();

const tracesSchema = z
  .object({
    retention_days: z
      .number()
      .nonnegative()
      .optional()
      .describe(
        'days trace rows are kept (default 30; 0 keeps them forever); env SWITCHYARD_TRACE_RETENTION_DAYS',
      ),
    log_payloads: z
      .boolean()
      .optional()
      .describe(
        'store request and response bodies with each trace (default false); env SWITCHYARD_LOG_PAYLOADS',
      ),
    payload_retention_days: z
      .number()
      .nonnegative()
      .optional()
      .describe('days stored bodies are kept (default 7; 0 keeps them as long as the trace row)'),
    purge_interval_minutes: z
      .number()
      .positive()
      .optional()
      .describe('how often expired traces, bodies and stored responses are removed (default 60)'),
  })
  .strict();

export const configSchema = z
  .object({
    server: serverSchema.optional(),
    traces: tracesSchema.optional(),
    providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), providerSchema).optional(),
    models: z.array(modelSchema).optional(),
    routing: routingSchema.optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;
export type ConfigModel = z.infer<typeof modelSchema>;
export type ConfigDeployment = z.infer<typeof deploymentSchema>;

export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { target: 'draft-2020-12' }),
    $id: 'https://switchyard.dev/schema/switchyard.schema.json',
    title: 'Switchyard configuration (switchyard.yaml)',
  };
}
