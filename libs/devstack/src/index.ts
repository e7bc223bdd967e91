export * from './dev-server';
export * from './free-port';
export * from './project-root';
export * from './toolchain';
export * from './mail-catcher';
export * from './processes';
