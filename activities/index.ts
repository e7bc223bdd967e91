export * from './clock.activities';
export * from './notification.activities';
export * from './tam-directory';
