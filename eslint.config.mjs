import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/**
 * The layers of docs/ENGINEERING-BRIEF.md, enforced: the catalog and the language service run in
 * a browser web worker as well as in Node, and know nothing of the editor, the LSP connection or
 * the CLI (the adapters in lsp/, server.ts and cli/ call them, never the other way round).
 */
const ADAPTERS = ['**/lsp', '**/lsp/**', '**/cli', '**/cli/**', '**/server', '**/node', '**/browser', '**/client/**'];
const HOSTS = ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-jsonrpc', 'vscode-jsonrpc/*'];
const layer = (message, patterns) => ({ group: patterns, message });
/** Node's built-in modules by exact name (`fs`, `path/posix`): as patterns, `stream` would also match `./stream`. */
const nodeApis = (message) => builtinModules.map((name) => ({ name, message }));

export default tseslint.config(
  { ignores: ['server/kernel/**', 'dist/**', 'node_modules/**', '.vscode-test/**', '.vscode-test-web/**', 'out/**', '.stryker-tmp/**', 'reports/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['server/src/service/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          layer('service/ is the pure language service: the LSP adapter and the CLI import it, not the other way round.', ADAPTERS),
          layer('service/ runs in a browser worker too: no editor, LSP connection or Node APIs (vscode-languageserver-types is fine).', [...HOSTS, 'node:*']),
        ],
        paths: nodeApis('service/ runs in a browser worker too: no Node APIs.'),
      }],
    },
  },
  {
    files: ['server/src/catalog/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          layer('catalog/ is the field catalog: everything reads it, it reads nothing but itself.', [...ADAPTERS, '**/service', '**/service/**']),
          layer('catalog/ runs in a browser worker too: no editor, LSP connection or Node APIs.', [...HOSTS, 'node:*', 'vscode-languageserver-types']),
        ],
        paths: nodeApis('catalog/ runs in a browser worker too: no Node APIs.'),
      }],
    },
  },
);
