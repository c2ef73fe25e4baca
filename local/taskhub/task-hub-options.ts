// The task hub's settings from host.json `extensions.durableTask`, with Azure's defaults.
import { z } from 'zod';
import { parseInput } from '../../shared/validate.js';
import type { HostSettings } from '../host/settings.js';

const durableTaskSchema = z
  .object({
    // Azure's rule for task hub names: they become table, queue and container names.
    hubName: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, 'must be 3-45 letters or digits, starting with a letter')
      .default('TestHubName'),
    maxConcurrentActivityFunctions: z.number().int().positive().default(10),
    maxConcurrentOrchestratorFunctions: z.number().int().positive().default(10),
  })
  .loose();

export type TaskHubSettings = z.infer<typeof durableTaskSchema>;

export function taskHubSettings(settings: HostSettings): TaskHubSettings {
  const extensions = settings.hostJson.extensions as Record<string, unknown>;
  const raw = (extensions.durableTask ?? {}) as Record<string, unknown>;
  const resolved =
    typeof raw.hubName === 'string'
      ? { ...raw, hubName: settings.resolve(raw.hubName, 'the durable task hub') }
      : raw;
  return parseInput(durableTaskSchema, resolved, 'host.json extensions.durableTask', 'INVALID_CONFIG');
}
