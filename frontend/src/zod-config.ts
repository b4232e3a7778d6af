import { config } from 'zod';

// The app's Content-Security-Policy forbids eval. Without this, zod probes `new Function`
// while building object schemas and the browser reports a CSP violation.
config({ jitless: true });
