export * from './calendar';
export * from './chat';
export * from './email';
export * from './incident-message';
export * from './local-time';
export * from './message';
export * from './task-message';
export * from './templates';
