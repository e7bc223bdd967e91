export * from './clock.activities';
export * from './notification.activities';
export * from './tam-directory';
export * from './account-tam-directory';
export * from './health-check.activities';
export * from './channels';
export * from './notification-settings';
export * from './reach';
