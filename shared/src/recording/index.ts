/** Recordings: the export file format, its validation, and seeking for the replay. */
export * from './anonymize';
export * from './error';
export * from './eventSchema';
export * from './format';
export * from './header';
export * from './json';
export * from './limits';
export * from './markers';
export * from './seek';
export * from './shapes';
export { sessionStateSchema } from './stateSchema';
