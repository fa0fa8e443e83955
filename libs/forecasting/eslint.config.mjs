import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The engine is pure: threads live in src/runtime, the `./runtime` subpath export.
    files: ['src/**/*.ts'],
    ignores: ['src/runtime/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['node:worker_threads', 'worker_threads'].map((name) => ({
            name,
            message: 'Threads belong in src/runtime (the ./runtime export); keep the engine pure.',
          })),
        },
      ],
    },
  },
];
