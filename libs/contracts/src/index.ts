export * from './incident';
export * from './names';
export * from './search-attributes';
