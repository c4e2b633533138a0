/** The sessions' door to the one redactor (domain/redact.ts): writers and exports take a Redactor. */
export { createRedactor, NO_SECRETS, REDACTED, type Redactor } from '../domain/redact.js';
