import { describe, expect, it } from 'vitest';
import { PlatformError } from '../../shared/errors.js';
import { ignoreStatus, storageError, storageStatus } from '../../shared/storage-status.js';

const restError = (statusCode: number) =>
  Object.assign(new Error(`status ${statusCode}\nmore`), { statusCode });

describe('storage statuses', () => {
  it('reads the status of storage and Cosmos DB errors', () => {
    expect(storageStatus(restError(412))).toBe(412);
    expect(storageStatus(Object.assign(new Error('cosmos'), { code: 409 }))).toBe(409);
    expect(storageStatus(Object.assign(new Error('node'), { code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(storageStatus(undefined)).toBeUndefined();
  });

  it.each([
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [412, 'PRECONDITION_FAILED'],
    [500, 'DEPENDENCY_UNAVAILABLE'],
    [403, 'DEPENDENCY_UNAVAILABLE'],
  ])('maps status %i to %s once, keeping the status and the first line of the reason', (status, code) => {
    const error = storageError(restError(status), 'Task hub storage');
    expect(error).toMatchObject({ code, details: { status } });
    expect(error.message).toBe(`Task hub storage failed with status ${status}: status ${status}`);
  });

  it('maps a failure without a status to DEPENDENCY_UNAVAILABLE and passes PlatformErrors through', () => {
    expect(storageError(new Error('connect ECONNREFUSED'), 'Blob storage')).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'Blob storage failed: connect ECONNREFUSED',
      details: {},
    });
    const mine = new PlatformError('CONFLICT', 'already there');
    expect(storageError(mine, 'Blob storage')).toBe(mine);
  });

  it('ignores only the listed statuses', () => {
    expect(() => ignoreStatus(409, 412)(restError(412))).not.toThrow();
    expect(() => ignoreStatus(409)(restError(500))).toThrow('status 500');
  });
});
