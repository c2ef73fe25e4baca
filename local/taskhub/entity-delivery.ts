// Messages to durable entities: an entity comes into being with its first message, so a
// message to one that does not exist yet creates its instance.
import { isPlatformError } from '../../shared/errors.js';
import type { TaskHubBackend } from './backend.js';
import { newEntityInstance } from './entity-episode.js';
import type { Message } from './instance.js';

export async function sendToEntity(
  backend: TaskHubBackend,
  instanceId: string,
  message: Message,
  now: number,
): Promise<void> {
  try {
    return await backend.sendMessage(instanceId, message);
  } catch (error) {
    if (!isPlatformError(error) || error.code !== 'NOT_FOUND') throw error;
  }
  try {
    await backend.createInstance(newEntityInstance(instanceId, now), message);
  } catch (error) {
    // Another sender created it first.
    if (!isPlatformError(error) || error.code !== 'CONFLICT') throw error;
    await backend.sendMessage(instanceId, message);
  }
}
