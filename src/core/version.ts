// The version Coffer reports in seal-status, health and plugin versions.
export const COFFER_VERSION = '0.1.0';
export const COFFER_BUILD_DATE = '2026-11-27T00:00:00Z';
