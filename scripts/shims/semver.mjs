// Build-time stand-in for conf's `import semver from 'semver'` (~28 KB parsed at every start).
// conf calls semver only for its `migrations` option (and the `projectVersion` that goes with it),
// which inkwell never passes (src/config/settings.ts); if that changes, this says why.
export const SEMVER_NOT_BUNDLED =
  'inkwell passes conf no migrations; semver is not bundled (see confWithoutSchemaOrMigrations in scripts/build.mjs)';

const fail = () => {
  throw new Error(SEMVER_NOT_BUNDLED);
};

/** Stands in for semver's default export: every function and class throws when used. */
export default new Proxy({}, { get: () => fail });
