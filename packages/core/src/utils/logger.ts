/** Structured fields attached to a log line. Never put secrets here. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The logger Vltava writes to. Pass your own (pino, winston and console all fit with a thin adapter) through the
 * `logger` option of any client; the default writes warnings and errors to stderr.
 */
export interface Logger {
  /** Detailed tracing: connections, requests, rebalances. */
  debug(message: string, fields?: LogFields): void;
  /** Notable state changes: partitions assigned, producer id obtained. */
  info(message: string, fields?: LogFields): void;
  /** Something went wrong and was handled: a retry, a reconnect, a fallback. */
  warn(message: string, fields?: LogFields): void;
  /** Something went wrong and was not handled here; the caller sees an error too. */
  error(message: string, fields?: LogFields): void;
}

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

/**
 * A logger writing to stderr through `console.warn`/`console.error`, one line per entry with JSON fields.
 * The default level is `warn`; `VLTAVA_LOG_LEVEL` overrides it.
 */
export function createConsoleLogger(level: LogLevel = defaultLevel()): Logger {
  const threshold = ORDER[level];
  const write = (entryLevel: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[entryLevel] < threshold) return;
    const suffix = fields === undefined ? '' : ` ${safeJson(fields)}`;
    const line = `[vltava] ${entryLevel.toUpperCase()} ${message}${suffix}`;
    if (entryLevel === 'error') console.error(line);
    else console.warn(line);
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

function defaultLevel(): LogLevel {
  const fromEnv = process.env.VLTAVA_LOG_LEVEL;
  return fromEnv !== undefined && fromEnv in ORDER ? (fromEnv as LogLevel) : 'warn';
}

function safeJson(fields: LogFields): string {
  try {
    return JSON.stringify(fields, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (value instanceof Error) return { name: value.name, message: value.message };
      return value;
    });
  } catch {
    return '{}';
  }
}
