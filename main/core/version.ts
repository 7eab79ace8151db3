declare const __PORTCULLIS_VERSION__: string | undefined;

/** Set by the build from package.json; sources run directly (tests) say "dev". */
export const version: string = typeof __PORTCULLIS_VERSION__ === 'string' ? __PORTCULLIS_VERSION__ : '0.0.0-dev';
