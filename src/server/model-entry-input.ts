// Validation of a model entry written through the admin API or the CLI: the config file's `models[]`
// schema, an id a client can address, and providers the gateway knows. Errors are 400s naming the field.
import { z } from 'zod';
import { formatPath } from '../config/load-config.ts';
import { type ConfigModel, modelSchema } from '../config/schema.ts';
import { GatewayError } from '../core/errors.ts';
import { unreachableModelIdReason } from '../routing/model-string.ts';

const entryBodySchema = modelSchema.extend({ id: z.string().min(1).optional() });

/** The entry for `id` from a request body that carries no id or the same one. */
export function parseModelEntryInput(
  id: string,
  body: unknown,
  isKnownProvider: (provider: string) => boolean,
): ConfigModel {
  checkModelId(id);
  const parsed = entryBodySchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw invalid(`Invalid model entry: ${describeIssues(parsed.error)}`, formatPath(first.path) || null);
  }
  const { id: bodyId, ...fields } = parsed.data;
  if (bodyId !== undefined && bodyId !== id)
    throw invalid(`The body's id "${bodyId}" differs from the id in the path "${id}"`, 'id');
  const entry: ConfigModel = { id, ...fields };
  entry.deployments.forEach((deployment, index) => {
    if (isKnownProvider(deployment.provider)) return;
    throw invalid(
      `deployments[${index}].provider: unknown provider "${deployment.provider}" (declare it under providers in the config file or use a built-in provider id)`,
      `deployments[${index}].provider`,
    );
  });
  return entry;
}

/** An id a model string can reach: not a routing policy or preset, no ranking suffix, no outer spaces. */
export function checkModelId(id: string): void {
  const reason = unreachableModelIdReason(id);
  if (reason !== undefined) throw invalid(`id "${id}": ${reason}`, 'id');
}

/** Every problem zod found, each with the path of its field: `deployments[0].price.input: …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${formatPath(issue.path) || '(body)'}: ${issue.message}`).join('; ');
}

function invalid(message: string, param: string | null): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}
