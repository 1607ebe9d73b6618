export { ConfigSchema, type ConfigInput, type KioskConfig } from './schema.js';
export { ConfigError, configEnvNames, loadConfig, type LoadOptions } from './load.js';
