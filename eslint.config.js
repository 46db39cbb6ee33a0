// House rules, checked by `npm test` (npm run lint). Formatting is Prettier's job (npm run format:check).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-output/', 'test/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // Unused names are an error, except a deliberately ignored `_` argument.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      // Prettier wraps code at 120 columns; comments are wrapped by hand. A long string, URL or pattern may stay whole.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
      'no-console': 'error',
      // TypeScript checks names itself, and knows Node's and the DOM's globals.
      'no-undef': 'off',
    },
  },
  {
    // Kysely's own advice: a migration must not depend on today's table types, so it works on Kysely<any>.
    files: ['intake/store/migrations/**', 'intake/store/dialect/**', 'intake/store/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The command-line tool and the benchmarks print to the terminal by design.
    files: ['app/cli.ts', 'bench/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // The pages' own scripts run in the visitor's browser as classic scripts, not modules: only the DOM's globals
    // exist there, so an undeclared name is checked here rather than found on a phone.
    files: ['portal/assets/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', navigator: 'readonly' },
    },
    rules: { 'no-undef': 'error' },
  },
);
