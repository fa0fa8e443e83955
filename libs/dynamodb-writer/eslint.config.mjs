import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // Benchmarks are dev scripts like tests: they may use the local emulators (type:tooling).
    files: ['bench/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
