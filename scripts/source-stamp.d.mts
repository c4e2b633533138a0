/** The repository root. */
export const ROOT: string;
/** Where the fingerprint of the sources of the last build is kept (dist/.build-stamp). */
export const STAMP: string;
/** The fingerprint of the build's inputs (paths, sizes, mtimes of src/, scripts/, package.json, package-lock.json, tsconfig.json): 64 hex digits. */
export function sourceFingerprint(root?: string): string;
/** The fingerprint the last build recorded, or null. */
export function readStamp(): string | null;
/** Records a fingerprint as that of the build just made. */
export function writeStamp(fingerprint: string): void;
