// The app's Content-Security-Policy forbids eval. Without jitless, zod probes `new Function`
// while building object schemas and the browser reports a CSP violation.
//
// zod keeps its global config on globalThis.__zod_globalConfig and adopts an object already
// there, so the setting is made here before zod loads, without importing zod: an import would
// put zod in the first chunk, which the login form does not need (the schemas load with the
// pages that use them). zod-config.spec.ts checks that zod reads it.
const holder = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
(holder.__zod_globalConfig ??= {}).jitless = true;
