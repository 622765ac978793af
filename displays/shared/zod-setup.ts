/**
 * @module shared/zod-setup
 * Parse without generated code: the engine's Content-Security-Policy allows no eval, and zod would
 * otherwise probe for it when a schema is built (a reported violation) before falling back. Every
 * entry point imports this module first, before any schema exists.
 */
import { z } from 'zod';

z.config({ jitless: true });
