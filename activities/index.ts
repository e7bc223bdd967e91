export * from './clock.activities';
