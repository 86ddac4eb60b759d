// Imported first by the entry (main.tsx), before any module that builds a zod schema: zod probes
// `new Function` when it builds an object schema, to compile fast parsers, and the page's CSP
// (script-src 'self', no eval) refuses that and reports a violation, although zod catches the
// throw. Jitless, zod never tries; it parses with the same results.
import { z } from 'zod';

z.config({ jitless: true });
