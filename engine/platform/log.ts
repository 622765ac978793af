import { pino, type Logger as PinoLogger } from 'pino';

/** The one logger type; created once in main.ts (or a test) and passed down as child loggers. */
export type Logger = PinoLogger;

export const createLogger = (level = 'info'): Logger => pino({ level, base: { app: 'aislecast' } });

/** A logger that drops everything: the default for tests and library callers that pass none. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
