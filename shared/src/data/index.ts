export * from './dataset';
export * from './csv';
export * from './normalize';
export * from './split';
export * from './format';
export { HOUSES, housePrice } from './builtins/houses';
export { SINE_ROWS } from './builtins/sine';
export * from './plane';
export * from './generated';
