// Build-time stand-in for conf's `import ajvFormatsModule from 'ajv-formats'`, which conf calls
// (as `ajvFormatsModule.default`) only on an Ajv it constructed: see scripts/shims/ajv.mjs.
import { AJV_NOT_BUNDLED } from './ajv.mjs';

/** Stands in for ajv-formats' plugin. @throws always, when called */
function addFormats() {
  throw new Error(AJV_NOT_BUNDLED);
}
addFormats.default = addFormats;
export default addFormats;
