export * from './config';
export * from './temporal';
export * from './nest';
