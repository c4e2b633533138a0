import type { WebToolsSetting } from '../api/server-tools.js';
import type { Settings } from '../config/settings.js';

/**
 * The web tools a run starts with: the `webSearch…` settings, turned on by `--web`.
 * @param settings the loaded settings
 * @param flag `--web` was given
 */
export function webFromSettings(
  settings: Pick<Settings, 'webSearch' | 'webMaxUses' | 'webAllowedDomains' | 'webBlockedDomains' | 'webUserLocation'>,
  flag: boolean,
): WebToolsSetting {
  const loc = settings.webUserLocation;
  return {
    on: flag || settings.webSearch === 'on',
    maxUses: settings.webMaxUses > 0 ? settings.webMaxUses : null,
    allowedDomains: settings.webAllowedDomains,
    blockedDomains: settings.webBlockedDomains,
    userLocation: Object.keys(loc).length > 0 ? loc : null,
  };
}
