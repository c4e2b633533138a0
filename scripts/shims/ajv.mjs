// Build-time stand-in for conf's `import { Ajv2020 as Ajv } from 'ajv/dist/2020.js'` (ajv and
// fast-uri: ~140 KB parsed at every start; ajv-formats has its own stand-in beside this one).
// conf constructs Ajv only when given a `schema`, `rootSchema` or `ajvOptions`, and inkwell passes
// none (src/config/settings.ts validates with zod/mini), so nothing here runs; if it ever does, it
// says why instead of validating nothing.
export const AJV_NOT_BUNDLED = 'inkwell passes conf no schema; ajv is not bundled (see confWithoutSchemaOrMigrations in scripts/build.mjs)';

/** Stands in for ajv's `Ajv2020` (also exported as `Ajv` and default). @throws always, when constructed */
export class Ajv2020 {
  constructor() {
    throw new Error(AJV_NOT_BUNDLED);
  }
}
export { Ajv2020 as Ajv };
export default Ajv2020;
