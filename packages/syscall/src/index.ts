export * from './host';
export * from './user-memory';
