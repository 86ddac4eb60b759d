export * from './status';
export * from './errors';
export * from './events';
export * from './pipeline';
export * from './settings';
export * from './domain';
export * from './contract';
