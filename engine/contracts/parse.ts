import { z } from 'zod';

/**
 * `schema.safeParse` for input from outside, which never throws. zod's own safeParse can throw on
 * hostile values (an object whose `length` cannot be turned into a primitive, found by the fuzz
 * suite); such a value is reported as an ordinary failure at the root instead.
 */
export function parseUntrusted<S extends z.ZodType>(schema: S, value: unknown): ReturnType<S['safeParse']> {
  try {
    return schema.safeParse(value) as ReturnType<S['safeParse']>;
  } catch (err) {
    const error = new z.ZodError([{ code: 'custom', path: [], input: value,
      message: `unreadable value (${err instanceof Error ? err.message.slice(0, 100) : 'not a plain value'})` }]);
    return { success: false, error } as ReturnType<S['safeParse']>;
  }
}
