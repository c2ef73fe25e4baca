// The HTTP status of a failed Azure Storage call (blob, queue or table: the SDKs' RestError),
// for the statuses that are outcomes rather than failures: 404 absent, 409 already there,
// 412 changed meanwhile.

export function storageStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** For `.catch`: swallows the listed statuses and rethrows anything else. */
export function ignoreStatus(...statuses: number[]): (error: unknown) => void {
  return (error) => {
    if (!statuses.includes(storageStatus(error) ?? 0)) throw error;
  };
}
