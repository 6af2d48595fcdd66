import type { CoreLogger, LogFields } from '../core.js';

/**
 * Log levels, as KafkaJS numbers them: `NOTHING` 0, `ERROR` 1, `WARN` 2, `INFO` 4, `DEBUG` 5. An entry is written
 * when its level is at most the logger's. The environment variable `KAFKAJS_LOG_LEVEL` (`ERROR`, `INFO`, ...)
 * overrides the configured level, as in KafkaJS.
 */
export const logLevel = { NOTHING: 0, ERROR: 1, WARN: 2, INFO: 4, DEBUG: 5 } as const;
/** One of the {@link logLevel} values. */
export type logLevel = (typeof logLevel)[keyof typeof logLevel];

/** The content of a log entry: a timestamp, the message and any extra fields the caller gave. */
export interface LoggerEntryContent {
  readonly timestamp: string;
  readonly message: string;
  // biome-ignore lint/suspicious/noExplicitAny: KafkaJS types extra fields as any, and log creators rely on it.
  [key: string]: any;
}

/** A log entry handed to the function a {@link logCreator} returns. */
export interface LogEntry {
  /** The component that wrote it (`Consumer`, `Producer`, `Admin`, ...), or empty. */
  namespace: string;
  level: logLevel;
  /** `ERROR`, `WARN`, `INFO` or `DEBUG`. */
  label: string;
  log: LoggerEntryContent;
}

/** Builds the function that writes log entries, given the configured level. KafkaJS's `logCreator`. */
export type logCreator = (logLevel: logLevel) => (entry: LogEntry) => void;

/** The logger `kafka.logger()`, `producer.logger()`, ... return. */
export type Logger = {
  info: (message: string, extra?: object) => void;
  error: (message: string, extra?: object) => void;
  warn: (message: string, extra?: object) => void;
  debug: (message: string, extra?: object) => void;
  /** A logger for a component; `logLevel` overrides the level for it alone. */
  namespace: (namespace: string, logLevel?: logLevel) => Logger;
  /** Changes the level of this logger and of the namespaces created without a level of their own. */
  setLogLevel: (logLevel: logLevel) => void;
};

const LABELS: Record<number, string> = { 1: 'ERROR', 2: 'WARN', 4: 'INFO', 5: 'DEBUG' };

/** Reads `KAFKAJS_LOG_LEVEL`, falling back to `level`. */
function effectiveLevel(level: logLevel | null | undefined): logLevel | null {
  const fromEnv = (process.env.KAFKAJS_LOG_LEVEL ?? '').toUpperCase();
  if (fromEnv in logLevel) return logLevel[fromEnv as keyof typeof logLevel];
  return level ?? null;
}

/**
 * The default log creator: one JSON object per line (`level`, `timestamp`, `logger`, `message` with the namespace
 * in brackets, and the extra fields), errors to `console.error`, warnings to `console.warn`, the rest to
 * `console.info` and `console.log`, the shape KafkaJS writes.
 */
export const consoleLogCreator: logCreator = () => (entry) => {
  const prefix = entry.namespace === '' ? '' : `[${entry.namespace}] `;
  const line = JSON.stringify({ level: entry.label, ...entry.log, message: `${prefix}${entry.log.message}` });
  switch (entry.level) {
    case logLevel.ERROR:
      console.error(line);
      break;
    case logLevel.WARN:
      console.warn(line);
      break;
    case logLevel.INFO:
      // biome-ignore lint/suspicious/noConsole: the default log creator writes INFO to console.info, as KafkaJS.
      console.info(line);
      break;
    default:
      // biome-ignore lint/suspicious/noConsole: the default log creator writes DEBUG to console.log, as KafkaJS.
      console.log(line);
  }
};

/**
 * Creates the root logger of a `Kafka` instance: entries at or below `level` go to the function `logCreator`
 * returns (called once, with the level).
 */
export function createLogger(options: { level?: logLevel; logCreator?: logCreator } = {}): Logger {
  let rootLevel = effectiveLevel(options.level ?? logLevel.INFO) ?? logLevel.INFO;
  const write = (options.logCreator ?? consoleLogCreator)(rootLevel);
  const make = (namespace: string, ownLevel: logLevel | null): Logger => {
    const current = () => ownLevel ?? rootLevel;
    const at =
      (level: logLevel) =>
      (message: string, extra: object = {}): void => {
        if (level > current()) return;
        write({
          namespace,
          level,
          label: LABELS[level] ?? 'INFO',
          log: { timestamp: new Date().toISOString(), logger: 'kafkajs', message, ...extra },
        });
      };
    return {
      error: at(logLevel.ERROR),
      warn: at(logLevel.WARN),
      info: at(logLevel.INFO),
      debug: at(logLevel.DEBUG),
      namespace: (child, level) => make(child, effectiveLevel(level)),
      setLogLevel: (level) => {
        rootLevel = level;
      },
    };
  };
  return make('', null);
}

/**
 * Adapts a KafkaJS-style logger to the logger `@vltava/core` writes to, so that what the engine logs reaches the
 * application's `logCreator`. Field values KafkaJS log creators cannot print are converted: 64-bit integers to
 * strings, errors to their message (with `code` for Vltava's errors).
 */
export function toCoreLogger(logger: Logger): CoreLogger {
  const adapt = (fields: LogFields | undefined): object | undefined => {
    if (fields === undefined) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) out[key] = plain(value);
    return out;
  };
  return {
    debug: (message, fields) => logger.debug(message, adapt(fields)),
    info: (message, fields) => logger.info(message, adapt(fields)),
    warn: (message, fields) => logger.warn(message, adapt(fields)),
    error: (message, fields) => logger.error(message, adapt(fields)),
  };
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return typeof code === 'string' ? `${value.message} (${code})` : value.message;
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}
