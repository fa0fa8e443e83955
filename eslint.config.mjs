import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import jsoncParser from 'jsonc-eslint-parser';

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
            // Scopes: shared utilities and the job↔infra contract are the only common ground;
            // the forecasting engine knows nothing of Bedrock, DynamoDB or S3; deployment code
            // knows only the contract.
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            {
              sourceTag: 'scope:forecast',
              onlyDependOnLibsWithTags: ['scope:forecast', 'scope:shared'],
            },
            { sourceTag: 'scope:data', onlyDependOnLibsWithTags: ['scope:data', 'scope:shared'] },
            {
              sourceTag: 'scope:bedrock',
              onlyDependOnLibsWithTags: ['scope:bedrock', 'scope:forecast', 'scope:shared'],
            },
            {
              sourceTag: 'scope:inventory',
              onlyDependOnLibsWithTags: ['scope:inventory', 'scope:forecast', 'scope:shared'],
            },
            {
              sourceTag: 'scope:report',
              onlyDependOnLibsWithTags: [
                'scope:report',
                'scope:inventory',
                'scope:forecast',
                'scope:shared',
              ],
            },
            {
              sourceTag: 'scope:deploy',
              onlyDependOnLibsWithTags: ['scope:deploy', 'scope:shared'],
            },
            {
              sourceTag: 'scope:local',
              onlyDependOnLibsWithTags: [
                'scope:local',
                'scope:data',
                'scope:inventory',
                'scope:shared',
              ],
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
  {
    // Every package.json declares what its project imports (production code in `dependencies`;
    // tests, benchmarks and configs may use the root's devDependencies).
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    plugins: { '@nx': nx },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          ignoredFiles: [
            '{projectRoot}/eslint.config.mjs',
            '{projectRoot}/vitest.config.ts',
            '{projectRoot}/vitest.*.config.ts',
            '{projectRoot}/test/**/*',
            '{projectRoot}/bench/**/*',
            '{projectRoot}/**/*.test.ts',
            // The local demo (npm start) composes tooling; it is not part of the EC2 bundle.
            '{projectRoot}/src/demo.ts',
          ],
          buildTargets: ['typecheck'],
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
          includeTransitiveDependencies: false,
        },
      ],
    },
  },
];
