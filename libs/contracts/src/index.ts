export * from './account';
export * from './delivery';
export * from './health-check';
export * from './incident';
export * from './incident-publication';
export * from './names';
export * from './rejection';
export * from './search-attributes';
