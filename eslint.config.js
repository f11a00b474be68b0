// @ts-check
// ESLint flat config. Type-aware rules (typescript-eslint) run on every TypeScript file through tsconfig.json,
// which includes src, tests, bench, scripts and the Vite/Vitest configs. Plain JS files (this file, scripts/*.mjs,
// .dependency-cruiser.cjs) are linted without type information. eslint-config-prettier comes last: formatting
// is Prettier's job (npm run format:check), never a lint error.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'data/',
      '.test-results/',
      '.bench-data/',
      'bench/results/',
      'scratch/',
      'coverage/',
      'src/web/api.generated.ts',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Promises: an unhandled one is a lost error (or a response sent after the transaction closed)
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // reply.send() returns the reply, which is thenable; sending is fire-and-forget by Fastify's design
          allowForKnownSafePromises: [{ from: 'package', name: 'FastifyReply', package: 'fastify' }],
        },
      ],
      // React ignores what an event handler returns; the app's async handlers catch their own errors
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // `return promise` inside try/catch skips the catch (and the finally runs too early): await it there
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      // a switch over a union must name every member, even with a default: adding a status, role or kind then
      // shows every place that has to decide about it; a switch over string/number still needs no default
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, allowDefaultCaseForExhaustiveSwitch: true },
      ],
      // Arrays print as a,b,c, which error messages rely on
      '@typescript-eslint/restrict-template-expressions': ['error', { allowArray: true }],
      // `_name` marks a deliberately unused binding (e.g. a field left out with a rest pattern)
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Fastify plugins and hooks are async functions by contract, with or without an await inside
      '@typescript-eslint/require-await': 'off',
      // `let { rows, total } = …` where only total is reassigned stays one statement
      'prefer-const': ['error', { destructuring: 'all' }],
    },
  },

  {
    files: ['src/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      // an error, not a warning: CI runs with --max-warnings 0 anyway, and a stale closure is a bug
      'react-hooks/exhaustive-deps': 'error',
    },
  },

  {
    // Tests and benchmarks read JSON answers (typed any by inject().json() and fetch().json()) and assert on them;
    // the any-safety rules would only ask for casts there
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  { files: ['**/*.{js,mjs,cjs}'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },

  prettier,
);
