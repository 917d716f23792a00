export const APP_NAME = 'Backprop Live';
