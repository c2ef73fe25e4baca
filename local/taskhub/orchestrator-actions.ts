// The orchestrator's decisions as the durable-functions library returns them (its
// OrchestratorState), validated at the edge. Replay schema V2+ sends one flat list whose
// Task.all / Task.any entries nest their children.
import { z } from 'zod';
import { parseInput } from '../../shared/validate.js';

export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
  LockEntities: 13,
  ReleaseEntities: 14,
} as const;

/** The API behind each action type, for messages about actions this hub cannot run. */
export const actionApi: Record<number, string> = {
  [ActionType.CallEntity]: 'context.df.callEntity',
  [ActionType.CallHttp]: 'context.df.callHttp',
  [ActionType.SignalEntity]: 'context.df.signalEntity',
  [ActionType.LockEntities]: 'context.df.lock',
  [ActionType.ReleaseEntities]: 'releasing a context.df.lock',
  10: 'context.df.signalEntity with a scheduled time',
};

const retryOptionsSchema = z
  .object({
    firstRetryIntervalInMilliseconds: z.number().positive(),
    maxNumberOfAttempts: z.number().int().min(1),
    backoffCoefficient: z.number().positive().optional(),
    maxRetryIntervalInMilliseconds: z.number().positive().optional(),
  })
  .loose();

const name = z.string().min(1);
const instanceId = z.string().min(1).nullish();
/** `@{entity name, lower-case}@{key}`, as EntityId.getSchedulerIdFromEntityId writes it. */
const entitySchedulerId = z.string().regex(/^@[^@]+@.*$/, 'must be an entity id @name@key');
const entityIdSchema = z.object({ name: z.string().min(1), key: z.string() });

/** durable-functions' DurableHttpRequest as the CallHttp action carries it. */
export const durableHttpRequestSchema = z
  .object({
    method: z.string().min(1),
    uri: z.string().url(),
    content: z.string().nullish(),
    headers: z.record(z.string(), z.string()).nullish(),
    tokenSource: z.unknown().optional(),
    asynchronousPatternEnabled: z.boolean().optional(),
  })
  .loose();
export type DurableHttpRequest = z.infer<typeof durableHttpRequestSchema>;

const atomicActionSchema = z.discriminatedUnion('actionType', [
  z.object({
    actionType: z.literal(ActionType.CallActivity),
    functionName: name,
    input: z.unknown().optional(),
  }),
  z.object({
    actionType: z.literal(ActionType.CallActivityWithRetry),
    functionName: name,
    input: z.unknown().optional(),
    retryOptions: retryOptionsSchema,
  }),
  z.object({
    actionType: z.literal(ActionType.CallSubOrchestrator),
    functionName: name,
    input: z.unknown().optional(),
    instanceId,
  }),
  z.object({
    actionType: z.literal(ActionType.CallSubOrchestratorWithRetry),
    functionName: name,
    input: z.unknown().optional(),
    instanceId,
    retryOptions: retryOptionsSchema,
  }),
  z.object({ actionType: z.literal(ActionType.ContinueAsNew), input: z.unknown().optional() }),
  z.object({
    actionType: z.literal(ActionType.CreateTimer),
    fireAt: z.iso.datetime({ offset: true }),
    isCanceled: z.boolean().optional(),
  }),
  z.object({ actionType: z.literal(ActionType.WaitForExternalEvent), externalEventName: name }),
  z.object({
    actionType: z.literal(ActionType.CallEntity),
    instanceId: entitySchedulerId,
    operation: name,
    input: z.unknown().optional(),
  }),
  z.object({
    actionType: z.literal(ActionType.SignalEntity),
    instanceId: entitySchedulerId,
    operation: name,
    input: z.unknown().optional(),
  }),
  z.object({ actionType: z.literal(ActionType.CallHttp), httpRequest: durableHttpRequestSchema }),
  z.object({
    actionType: z.literal(ActionType.LockEntities),
    lockSet: z.array(entityIdSchema).min(1),
    lockRequestId: z.string().min(1),
  }),
  z.object({ actionType: z.literal(ActionType.ReleaseEntities) }),
]);

export type AtomicAction = z.infer<typeof atomicActionSchema>;
/** Action types this task hub does not know (a newer library's). */
export type UnsupportedAction = { actionType: number; unsupported: true };
export type FlatAction = AtomicAction | UnsupportedAction;
export type Action = FlatAction | { actionType: 11 | 12; compoundActions: Action[] };

const known = new Set<number>(Object.values(ActionType));
const unsupportedActionSchema = z
  .object({ actionType: z.number().refine((type) => !known.has(type)) })
  .loose()
  .transform((a): UnsupportedAction => ({ actionType: a.actionType, unsupported: true }));

const actionSchema: z.ZodType<Action> = z.lazy(() =>
  z.union([
    atomicActionSchema,
    z.object({
      actionType: z.union([z.literal(ActionType.WhenAny), z.literal(ActionType.WhenAll)]),
      compoundActions: z.array(actionSchema),
    }),
    unsupportedActionSchema,
  ]),
) as z.ZodType<Action>;

const orchestratorStateSchema = z
  .object({
    isDone: z.boolean(),
    actions: z.array(z.array(actionSchema)).default([]),
    output: z.unknown().optional(),
    error: z.string().optional(),
    customStatus: z.unknown().optional(),
    failureDetails: z
      .object({ ErrorType: z.string(), ErrorMessage: z.string(), StackTrace: z.string().optional() })
      .loose()
      .optional(),
    schemaVersion: z.number().int().optional(),
  })
  .loose();

export type OrchestratorStateWire = z.infer<typeof orchestratorStateSchema>;

export function parseOrchestratorState(value: unknown): OrchestratorStateWire {
  return parseInput(orchestratorStateSchema, value, 'orchestrator state', 'INTERNAL');
}

/** Atomic actions depth-first: the order in which the library numbers its tasks. */
export function flattenActions(state: OrchestratorStateWire): FlatAction[] {
  const out: FlatAction[] = [];
  const visit = (action: Action): void => {
    if ('compoundActions' in action) action.compoundActions.forEach(visit);
    else out.push(action);
  };
  state.actions.flat().forEach(visit);
  return out;
}

/**
 * JSON text of an activity or continue-as-new input: the library JSON-encodes string inputs
 * of those actions (and only strings), so a string here is already JSON text.
 */
export function encodedInputText(input: unknown): string | null {
  if (input === undefined) return null;
  if (typeof input === 'string') {
    try {
      JSON.parse(input);
      return input;
    } catch {
      return JSON.stringify(input);
    }
  }
  return JSON.stringify(input);
}

/** JSON text of a sub-orchestration input, which the library passes through as-is. */
export function rawInputText(input: unknown): string | null {
  return input === undefined ? null : JSON.stringify(input);
}
