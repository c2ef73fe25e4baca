// Console logging for the host: one line per record with time, level, source (function name
// or host component) and invocation id, so interleaved invocations stay readable.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogFields {
  functionName?: string;
  invocationId?: string;
  component?: string;
}

export interface HostLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): HostLogger;
  /** Whether a record at this level is written: callers skip building messages nobody reads. */
  enabled(level: LogLevel): boolean;
}

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** HOST_LOG_LEVEL's level; anything else is the default, info. */
export function logLevelOf(value: string | undefined): LogLevel {
  return value !== undefined && Object.hasOwn(rank, value) ? (value as LogLevel) : 'info';
}

export function createLogger(
  options: { level?: LogLevel; write?: (line: string, level: LogLevel) => void } = {},
  base: LogFields = {},
): HostLogger {
  const threshold = rank[options.level ?? 'info'];
  const write =
    options.write ??
    ((line, level) => (level === 'error' ? process.stderr : process.stdout).write(line + '\n'));
  const emit = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (rank[level] < threshold) return;
    const f = { ...base, ...fields };
    const source = f.functionName ? `Functions.${f.functionName}` : (f.component ?? 'host');
    const id = f.invocationId ? ` (Id=${f.invocationId})` : '';
    write(`[${new Date().toISOString()}] ${level.toUpperCase().padEnd(5)} ${source}${id}: ${message}`, level);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(options, { ...base, ...fields }),
    enabled: (level) => rank[level] >= threshold,
  };
}
