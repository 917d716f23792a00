export * from './state';
export * from './events';
export * from './reducer';
export * from './names';
export * from './traceViews';
export * from './participation';
export * from './compact';
export * from './class-view';
