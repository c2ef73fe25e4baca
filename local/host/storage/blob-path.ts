// Blob trigger paths such as `datasets/{model}/{file}.csv`: the container, the literal prefix to
// list, and a matcher that extracts the named values from a blob name. Pure.
import { PlatformError } from '../../../shared/errors.js';

export interface BlobPathPattern {
  readonly container: string;
  /** The literal part of the blob name before the first expression, for listing. */
  readonly prefix: string;
  match(blobName: string): Record<string, string> | undefined;
}

export function parseBlobPath(path: string): BlobPathPattern {
  const slash = path.indexOf('/');
  const container = slash < 0 ? path : path.slice(0, slash);
  const blobPattern = slash < 0 ? '{name}' : path.slice(slash + 1);
  if (!/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])?$/.test(container) || container.includes('{')) {
    throw new PlatformError(
      'INVALID_CONFIG',
      `Blob path '${path}' must start with a literal container name (3-63 lowercase letters, digits, dashes).`,
      {
        path,
      },
    );
  }
  const names: string[] = [];
  let source = '';
  for (const part of blobPattern.split(/(\{[^{}]+\})/)) {
    const expression = /^\{([^{}]+)\}$/.exec(part);
    if (expression?.[1]) {
      names.push(expression[1]);
      // Lazy, so earlier expressions take the shortest match; any of them may span folders.
      source += '(.+?)';
    } else {
      source += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const regex = new RegExp(`^${source}$`);
  const firstExpression = blobPattern.indexOf('{');
  return {
    container,
    prefix: firstExpression < 0 ? blobPattern : blobPattern.slice(0, firstExpression),
    match(blobName) {
      const found = regex.exec(blobName);
      if (!found) return undefined;
      const values: Record<string, string> = {};
      names.forEach((name, i) => (values[name] = found[i + 1] ?? ''));
      return values;
    },
  };
}
