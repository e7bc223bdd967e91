export * from './keys';
export * from './key-admin';
