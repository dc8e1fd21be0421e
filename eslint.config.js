// ESLint (`npm run lint`, `npm run lint:fix`): typescript-eslint's recommended type-checked rules for the
// TypeScript, ESLint's recommended rules for the JavaScript, and one code style (@stylistic) everywhere:
// the one most of src/ is written in (2 spaces, single quotes, no semicolons, `function f(`, `async (x) =>`).
import js from '@eslint/js'
import stylistic from '@stylistic/eslint-plugin'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', '.tap/', 'bench/results/', 'test/dashboard/artifacts/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a parameter or binding that is there for its position only.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Outside the TypeScript project: JavaScript (build script, command, the dashboard's browser code) and
    // the OpenAPI client, whose types exist only where test/openapi/client.test.ts generates them.
    files: ['**/*.js', '**/*.mjs', 'test/openapi/client/**'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['src/dashboard/static/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  stylistic.configs.customize({ indent: 2, quotes: 'single', semi: false, arrowParens: true, braceStyle: '1tbs', commaDangle: 'always-multiline' }),
  {
    rules: {
      // Double quotes where a string holds single ones ("'self'").
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'avoidEscape' }],
      '@stylistic/space-before-function-paren': ['error', { anonymous: 'always', named: 'never', asyncArrow: 'always' }],
      // `{ a: string; b: number }` on one line, one member a line without delimiters otherwise.
      '@stylistic/member-delimiter-style': ['error', { multiline: { delimiter: 'none' }, singleline: { delimiter: 'semi', requireLast: false } }],
      // Short guard clauses such as `if (m) { clearTimeout(timer); resolve(m[1]) }` stay on one line.
      '@stylistic/max-statements-per-line': 'off',
      // Tables, option lists and schemas are laid out by hand: several items a line, or one.
      '@stylistic/list-style': 'off',
      '@stylistic/quote-props': 'off',
      // Fastify plugins and handlers, and tap's subtests, are async functions by contract, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      // Kyso declares no enums; this only fires on node-forge's (asn1 tag numbers compared with numbers).
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // Taking a function out of an object (`const { ping } = database`) is how dependencies are passed here.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tests and benchmarks read JSON answers (`any`) and start tap subtests without awaiting them, as tap intends.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
)
