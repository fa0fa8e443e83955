import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

const sdkAndIo = [
  '@aws-sdk/*',
  '@smithy/*',
  'aws-cdk-lib',
  'aws-cdk-lib/*',
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'http',
  'node:http',
  'http2',
  'node:http2',
  'net',
  'node:net',
  'child_process',
  'node:child_process',
];

export default [
  { ignores: ['**/node_modules', '**/dist', '**/cdk.out', '**/.nx', '**/coverage', '**/out'] },
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    ignores: ['**/vitest.config.ts', '**/eslint.config.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            {
              sourceTag: 'type:app',
              onlyDependOnLibsWithTags: [
                'type:data-access',
                'type:domain',
                'type:util',
                'type:tooling',
              ],
            },
            {
              // Local stand-ins (S3/DynamoDB emulators, demo data, Bedrock stand-in): never imported by libs.
              sourceTag: 'type:tooling',
              onlyDependOnLibsWithTags: [
                'type:data-access',
                'type:domain',
                'type:util',
                'type:tooling',
              ],
            },
            {
              sourceTag: 'type:data-access',
              onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'],
            },
            {
              // Domain libs are pure: no AWS SDK, no file or network I/O.
              sourceTag: 'type:domain',
              onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
              bannedExternalImports: sdkAndIo,
            },
            {
              sourceTag: 'type:util',
              onlyDependOnLibsWithTags: ['type:util'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Tests of domain libs may read shared datasets from disk.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
