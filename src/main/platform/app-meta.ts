// Kept as literals (not read from package.json) so the bundled Electron main needs no file access.
export const APP_NAME = 'Sightline Studio'
export const APP_VERSION = '0.1.0'
