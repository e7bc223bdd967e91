export * from './duration';
export * from './load';
export * from './policy';
export * from './schema';
export * from './nest';
export * from './pin';
export * from './ihr-clock';
