export * from './temporal';
export * from './nest';
