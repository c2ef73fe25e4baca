// Entities come from a config file in the format of Microsoft's Service Bus emulator
// (UserConfig.Namespaces[].Queues/Topics/Subscriptions), validated here so a typo fails at
// start with the path of the offending field rather than as a missing entity later.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { PlatformError } from '../../shared/errors.js';
import { parseInput } from '../../shared/validate.js';
import { parseIsoDuration } from './iso-duration.js';
import { compileRules } from './rule-filter.js';

const duration = z
  .string()
  .refine((text) => parseIsoDuration(text) !== undefined, 'must be an ISO 8601 duration such as PT1M');

const entityProperties = {
  DefaultMessageTimeToLive: duration.optional(),
  DeadLetteringOnMessageExpiration: z.boolean().optional(),
  LockDuration: duration.optional(),
  MaxDeliveryCount: z.number().int().positive().optional(),
  RequiresSession: z
    .literal(false, { message: 'sessions are not supported by the local emulator' })
    .optional(),
  ForwardTo: z.literal('', { message: 'auto-forwarding is not supported by the local emulator' }).optional(),
  ForwardDeadLetteredMessagesTo: z
    .literal('', { message: 'auto-forwarding is not supported by the local emulator' })
    .optional(),
};

const duplicateDetection = {
  RequiresDuplicateDetection: z.boolean().optional(),
  DuplicateDetectionHistoryTimeWindow: duration.optional(),
};

const correlationFilter = z
  .object({
    CorrelationId: z.string().optional(),
    MessageId: z.string().optional(),
    To: z.string().optional(),
    ReplyTo: z.string().optional(),
    Label: z.string().optional(),
    Subject: z.string().optional(),
    SessionId: z.string().optional(),
    ReplyToSessionId: z.string().optional(),
    ContentType: z.string().optional(),
    Properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  })
  .strict();

const rule = z.object({
  Name: z.string().min(1),
  Properties: z.discriminatedUnion('FilterType', [
    z.object({ FilterType: z.literal('Correlation'), CorrelationFilter: correlationFilter }).loose(),
    z
      .object({
        FilterType: z.literal('Sql'),
        SqlFilter: z.object({ SqlExpression: z.string().min(1) }).loose(),
      })
      .loose(),
  ]),
});

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$/, 'letters, digits, ".", "_" and "-" only');

const configSchema = z.object({
  UserConfig: z.object({
    Namespaces: z
      .array(
        z.object({
          Name: z.string().min(1),
          Queues: z
            .array(
              z.object({
                Name: name,
                Properties: z
                  .object({ ...entityProperties, ...duplicateDetection })
                  .loose()
                  .default({}),
              }),
            )
            .default([]),
          Topics: z
            .array(
              z.object({
                Name: name,
                Properties: z.object(duplicateDetection).loose().default({}),
                Subscriptions: z
                  .array(
                    z.object({
                      Name: name,
                      Properties: z.object(entityProperties).loose().default({}),
                      Rules: z.array(rule).default([]),
                    }),
                  )
                  .default([]),
              }),
            )
            .default([]),
        }),
      )
      .length(1, 'the local emulator serves exactly one namespace'),
    Logging: z.object({ Type: z.string() }).loose().optional(),
  }),
});

export type RuleConfig = z.infer<typeof rule>;

/** Settings of an entity that holds messages (a queue or a subscription), in milliseconds. */
export interface ReceiveSettings {
  lockDurationMs: number;
  maxDeliveryCount: number;
  defaultTtlMs: number;
  deadLetterOnExpiration: boolean;
}

export interface DuplicateDetection {
  enabled: boolean;
  windowMs: number;
}

export interface QueueConfig {
  name: string;
  settings: ReceiveSettings;
  duplicateDetection: DuplicateDetection;
}

export interface SubscriptionConfig {
  name: string;
  settings: ReceiveSettings;
  rules: RuleConfig[];
}

export interface TopicConfig {
  name: string;
  duplicateDetection: DuplicateDetection;
  subscriptions: SubscriptionConfig[];
}

export interface EmulatorConfig {
  namespace: string;
  queues: QueueConfig[];
  topics: TopicConfig[];
}

// Service Bus defaults: lock 1 minute, 10 deliveries, TTL effectively unlimited, 10 minute dedup window.
const ms = (text: string | undefined, fallback: number): number =>
  text === undefined ? fallback : (parseIsoDuration(text) ?? fallback);
const unlimited = Number.MAX_SAFE_INTEGER;

function receiveSettings(p: z.infer<z.ZodObject<typeof entityProperties>>): ReceiveSettings {
  return {
    lockDurationMs: ms(p.LockDuration, 60_000),
    maxDeliveryCount: p.MaxDeliveryCount ?? 10,
    defaultTtlMs: ms(p.DefaultMessageTimeToLive, unlimited),
    deadLetterOnExpiration: p.DeadLetteringOnMessageExpiration ?? false,
  };
}

function dedup(p: {
  RequiresDuplicateDetection?: boolean;
  DuplicateDetectionHistoryTimeWindow?: string;
}): DuplicateDetection {
  return {
    enabled: p.RequiresDuplicateDetection ?? false,
    windowMs: ms(p.DuplicateDetectionHistoryTimeWindow, 600_000),
  };
}

export function parseConfig(value: unknown, source: string): EmulatorConfig {
  const parsed = parseInput(configSchema, value, `Service Bus emulator config ${source}`, 'INVALID_CONFIG');
  const ns = parsed.UserConfig.Namespaces[0] as (typeof parsed.UserConfig.Namespaces)[number];
  const config: EmulatorConfig = {
    namespace: ns.Name,
    queues: ns.Queues.map((q) => ({
      name: q.Name,
      settings: receiveSettings(q.Properties),
      duplicateDetection: dedup(q.Properties),
    })),
    topics: ns.Topics.map((t) => ({
      name: t.Name,
      duplicateDetection: dedup(t.Properties),
      subscriptions: t.Subscriptions.map((s) => ({
        name: s.Name,
        settings: receiveSettings(s.Properties),
        rules: s.Rules,
      })),
    })),
  };
  // Compiling the filters now turns an unsupported SQL expression into a start-up error.
  for (const topic of config.topics)
    for (const subscription of topic.subscriptions) compileRules(subscription.rules);
  const names = [...config.queues, ...config.topics].map((e) => e.name.toLowerCase());
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `Service Bus emulator config ${source}: entity '${duplicate}' is defined twice`,
      { entity: duplicate },
    );
  }
  return config;
}

export async function loadConfig(path: string): Promise<EmulatorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `Cannot read the Service Bus emulator config ${path}: ${(error as Error).message}`,
      { path },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `Service Bus emulator config ${path} is not valid JSON: ${(error as Error).message}`,
      { path },
    );
  }
  return parseConfig(json, path);
}
