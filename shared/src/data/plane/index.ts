export * from './ids';
export * from './features';
export * from './generators';
export * from './labels';
export * from './dataset';
export * from './of-setup';
