// Default script of the Parquet decode pool's threads when sales-data runs from source (tsx,
// vitest): the pool starts it with tsx's require hook as a Node flag, so the TypeScript module
// loads in the thread. App bundles pass their own script as `workerUrl` instead.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS stub by design
module.exports = require('./decodeParquet.ts');
