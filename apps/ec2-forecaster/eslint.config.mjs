import baseConfig from '../../eslint.config.mjs';

const tooling = ['@retail-forecast/local-aws', '@retail-forecast/bedrock-standin'];

export default [
  ...baseConfig,
  {
    // Local emulators and the Bedrock stand-in are for the demo entry (`npm start`) and tests;
    // the job that ships to EC2 must not pull them in.
    files: ['src/**/*.ts'],
    ignores: ['src/demo.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: tooling.map((name) => ({
            name,
            message: 'tooling is imported only by src/demo.ts and tests',
          })),
          patterns: [
            {
              group: tooling.map((name) => `${name}/*`),
              message: 'tooling is imported only by src/demo.ts and tests',
            },
          ],
        },
      ],
    },
  },
];
