// The browser client, the tests' Node scripts and the benchmark's load generator.
import js from '@eslint/js'
import globals from 'globals'

export default [
  { ignores: ['server/static/build/**', 'node_modules/**', 'test-artifacts/**', '.venv/**', 'data/**', 'build/**'] },
  js.configs.recommended,
  { rules: { 'no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }] } },
  {
    files: ['server/static/js/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.serviceworker } }
  },
  {
    files: ['tests/node/**/*.mjs', 'bench/**/*.mjs', 'eslint.config.js'],
    languageOptions: { globals: globals.node }
  }
]
