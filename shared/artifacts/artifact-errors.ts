import { PlatformError } from '../errors.js';

export const artifactExists = (path: string) =>
  new PlatformError('CONFLICT', `Artifact ${path} already exists; artifacts are written once.`, { path });

export const artifactNotFound = (path: string) =>
  new PlatformError('NOT_FOUND', `Artifact ${path} not found.`, { path });
