// Azure Functions route templates (ASP.NET Core syntax): literal segments, `{name}`,
// optional `{name?}`, catch-all `{*name}`, and inline constraints such as `{id:int:min(1)}`.
// Pure: parse once at start, match per request.
import { PlatformError } from '../../../shared/errors.js';

type Check = (value: string) => boolean;

type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'parameter'; name: string; optional: boolean; catchAll: boolean; checks: Check[] };

export interface RouteTemplate {
  readonly source: string;
  readonly segments: readonly Segment[];
  /** Sort key: more specific templates first (literals before constrained before free parameters). */
  readonly precedence: readonly number[];
}

const numeric = /^-?\d+$/;
const decimal = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const guid = /^\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

function constraint(name: string, arg: string | undefined, template: string): Check {
  const args = (arg ?? '').split(',').map((a) => a.trim());
  const n = (i: number) => {
    const value = Number(args[i]);
    if (!Number.isFinite(value)) throw badTemplate(template, `constraint '${name}' needs a number argument`);
    return value;
  };
  switch (name.toLowerCase()) {
    case 'int':
    case 'long':
      return (v) => numeric.test(v);
    case 'float':
    case 'double':
    case 'decimal':
      return (v) => decimal.test(v);
    case 'bool':
      return (v) => /^(true|false)$/i.test(v);
    case 'alpha':
      return (v) => /^[a-z]+$/i.test(v);
    case 'guid':
      return (v) => guid.test(v);
    case 'datetime':
      return (v) => !Number.isNaN(Date.parse(v));
    case 'minlength':
      return (v) => v.length >= n(0);
    case 'maxlength':
      return (v) => v.length <= n(0);
    case 'length':
      return args.length === 2 ? (v) => v.length >= n(0) && v.length <= n(1) : (v) => v.length === n(0);
    case 'min':
      return (v) => numeric.test(v) && Number(v) >= n(0);
    case 'max':
      return (v) => numeric.test(v) && Number(v) <= n(0);
    case 'range':
      return (v) => numeric.test(v) && Number(v) >= n(0) && Number(v) <= n(1);
    case 'regex': {
      const pattern = new RegExp(arg ?? '', 'i');
      return (v) => pattern.test(v);
    }
    default:
      throw badTemplate(template, `unknown constraint '${name}'`);
  }
}

function badTemplate(template: string, why: string): PlatformError {
  return new PlatformError('INVALID_CONFIG', `Invalid route template '${template}': ${why}.`, {
    route: template,
  });
}

function parseParameter(body: string, template: string): Segment {
  const catchAll = body.startsWith('*');
  // `?` marks the parameter optional and comes last, after any constraints: `{n:int?}`.
  const optional = body.endsWith('?');
  const [name = '', ...constraints] = splitConstraints(
    body.slice(catchAll ? 1 : 0, optional ? -1 : undefined),
  );
  if (!/^\w+$/.test(name)) throw badTemplate(template, `bad parameter name '${name}'`);
  const checks = constraints.map((c) => {
    const match = /^(\w+)(?:\((.*)\))?$/.exec(c);
    if (!match?.[1]) throw badTemplate(template, `bad constraint '${c}'`);
    return constraint(match[1], match[2], template);
  });
  return { kind: 'parameter', name, optional, catchAll, checks };
}

/** Splits `name:c1:c2(x:y)` on colons outside parentheses (regex arguments may contain colons). */
function splitConstraints(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    current += ch;
  }
  parts.push(current);
  return parts;
}

export function parseRouteTemplate(template: string): RouteTemplate {
  const trimmed = template.replace(/^\/+|\/+$/g, '');
  const segments: Segment[] =
    trimmed === ''
      ? []
      : trimmed.split('/').map((part) => {
          const match = /^\{(.+)\}$/.exec(part);
          if (match?.[1]) return parseParameter(match[1], template);
          if (part.includes('{') || part.includes('}'))
            throw badTemplate(template, `complex segment '${part}' is not supported`);
          return { kind: 'literal', text: part.toLowerCase() };
        });
  segments.forEach((s, i) => {
    if (s.kind === 'parameter' && s.catchAll && i !== segments.length - 1)
      throw badTemplate(template, 'a catch-all must be last');
  });
  const precedence = segments.map((s) =>
    s.kind === 'literal' ? 0 : s.catchAll ? 4 : s.optional ? 3 : s.checks.length > 0 ? 1 : 2,
  );
  return { source: template, segments, precedence };
}

/** Returns the route values when `path` (without the route prefix) matches, otherwise undefined. */
export function matchRoute(route: RouteTemplate, path: string): Record<string, string> | undefined {
  return matchSegments(route, pathSegments(path));
}

/** A request path's non-empty segments, split once for all the routes it is matched against. */
export function pathSegments(path: string): string[] {
  return path.split('/').filter((p) => p !== '');
}

export function matchSegments(
  route: RouteTemplate,
  parts: readonly string[],
): Record<string, string> | undefined {
  // Made with the first value: most routes a request is tried against fail on a literal first.
  let values: Record<string, string> | undefined;
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    const part = parts[i];
    if (segment.kind === 'literal') {
      if (part === undefined || decode(part).toLowerCase() !== segment.text) return undefined;
      continue;
    }
    if (segment.catchAll) {
      const rest = parts.slice(i).map(decode).join('/');
      if (rest === '' && !segment.optional) return undefined;
      if (rest !== '' && !segment.checks.every((check) => check(rest))) return undefined;
      values ??= {};
      if (rest !== '') values[segment.name] = rest;
      return values;
    }
    if (part === undefined) {
      if (!segment.optional) return undefined;
      continue;
    }
    const value = decode(part);
    if (!segment.checks.every((check) => check(value))) return undefined;
    (values ??= {})[segment.name] = value;
  }
  return parts.length <= route.segments.length ? (values ?? {}) : undefined;
}

function decode(part: string): string {
  if (!part.includes('%')) return part;
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function comparePrecedence(a: RouteTemplate, b: RouteTemplate): number {
  for (let i = 0; i < Math.max(a.precedence.length, b.precedence.length); i++) {
    const diff = (a.precedence[i] ?? -1) - (b.precedence[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
