import { LOG_LEVELS } from '@retail-forecast/util';
import type { Logger, LogLevel } from '@retail-forecast/util';

/**
 * Logs go to stderr so stdout stays the summary (or JSON with --json). On EC2 the format is
 * one JSON object per line for CloudWatch Logs Insights; on a terminal, short readable lines.
 */
export function createLogger(options: {
  json: boolean;
  level?: LogLevel;
  stream?: NodeJS.WritableStream;
}): Logger {
  const min = LOG_LEVELS.indexOf(options.level ?? 'info');
  if (min < 0) {
    throw new RangeError(
      `log level "${options.level}" is not valid (expected ${LOG_LEVELS.join(', ')})`,
    );
  }
  const stream = options.stream ?? process.stderr;
  // On a terminal a progress bar may own the current line: clear it first, the bar redraws.
  const clear = !options.json && (stream as NodeJS.WriteStream).isTTY ? '\r\x1b[2K' : '';
  const write = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    if (options.json) {
      stream.write(
        `${JSON.stringify({ level, time: new Date().toISOString(), message, ...fields })}\n`,
      );
    } else {
      const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      stream.write(
        `${clear}${level === 'info' ? '' : `${level.toUpperCase()}: `}${message}${extra}\n`,
      );
    }
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
