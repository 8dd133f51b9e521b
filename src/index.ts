// The package root re-exports the resilience library; the app is reached through the CLI.
export * from './resilience/index.js';
