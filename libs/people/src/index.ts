export * from './schema';
export * from './directory';
export * from './load';
export * from './store';
export * from './nest';
