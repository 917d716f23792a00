export * from './version';
export * from './results';
export * from './schemas';
export * from './events';
export * from './http';
export * from './participation';
export * from './recordings';
export * from './wire';
