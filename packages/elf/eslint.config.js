import base from '@tskern/eslint-config';

// The loader runs wherever the CPU does (issue 10: it imports nothing from
// Node); only the tests may read their fixtures with node:fs.
export default [
  ...base,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'path', 'os', 'crypto', 'buffer'], message: '@tskern/elf imports nothing from Node.' }] }],
    },
  },
];
