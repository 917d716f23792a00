/** Class participation: state slices, events, the reducer's share, quorum arithmetic. */
export * from './state';
export * from './events';
export * from './quorum';
