// ESLint for the whole repository: TypeScript rules (typescript-eslint), Angular rules for
// the web client (angular-eslint, templates included), and the import boundaries between the
// parts of the system (eslint-plugin-import-x: no-restricted-paths and no-cycle).
//
// The boundaries, in short (the zones below spell them out):
//
//   Whole repository
//   - frontend/src never imports backend/, bench/ or frontend/e2e; backend/ and bench/ never
//     import frontend/src; shared/src imports none of backend/, frontend/, bench/.
//   - Production server code (backend/src) never imports backend/test, backend/scripts or bench/.
//   - No import cycles anywhere (import-x/no-cycle; it follows runtime imports, not `import type`).
//
//   Server layers, top to bottom (a layer may import any layer below it, never one above):
//     transports   backend/src/http/**, backend/src/realtime/**
//     operations   backend/src/operations/** (the operation table and the request pipeline)
//     use cases    the feature folders (accounts, admin, blocks, chats, messages, receipts,
//                  presence, sso, rate-limits, observability, and the helper features timeline, scale-out)
//     kernel       backend/src/*.ts other than main.ts and chat-server.ts (app-error, config,
//                  logger, live-updates, validation, jwt-secret)
//     storage port backend/src/storage/*.ts (storage, errors, ids, sso-token-uses); it imports
//                  nothing of the server but itself (shared/src is fine)
//   - The storage adapters (storage/sqlite/**, storage/mongo/**) are imported only by the
//     composition root (main.ts, chat-server.ts, storage/create-storage.ts) and by tests; they
//     never import each other, and import only the port and storage/records/**.
//   - storage/records/** is the adapters' own shared code: only the adapters import it.
//   - storage/contract/** is the port's test suite: only tests import it.
//   - The composition root is imported by nothing in backend/src but main.ts.
//
//   Feature folders on the server (use cases)
//   - Each feature lists the features it may import (FEATURE_DEPENDENCIES): the list is a
//     one-way graph, so a cycle between two features (say chats <-> messages) is an error even
//     when no single file cycle exists.
//   - A feature may import only the public files of another feature (FEATURE_PUBLIC_FILES):
//     its use cases and the few helpers it deliberately shares. Everything else in a feature
//     folder is private to it. Sharing one more file is a one-line change here, made on purpose.
//
//   Feature folders on the web client (frontend/src/app/<feature>/)
//   - A feature may import another feature's top-level files (its services, components and
//     entry points) and its state/ folder; any other subfolder (e.g. chat/chat-box/) is private
//     to its feature.
//   - core/testing/** is for specs (*.spec.ts) and other testing helpers only.
//   - The widget (frontend/src/widget/main.ts, a separate build) imports only the widget
//     feature's top-level files; nothing else in the client imports the widget.
import path from 'node:path';
import js from '@eslint/js';
import angular from 'angular-eslint';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = import.meta.dirname;
/** Absolute glob for a path in the repository (no-restricted-paths matches absolute paths). */
const at = (...parts) => path.posix.join(root.split(path.sep).join('/'), ...parts);
const server = (...parts) => at('backend/src', ...parts);
const app = (...parts) => at('frontend/src/app', ...parts);

// ---------------------------------------------------------------- server layers

const TRANSPORTS = [server('http/**'), server('realtime/**')];
const OPERATIONS = [server('operations/**')];

/**
 * The server's feature folders (use cases) and the other features each may import.
 * Keep this graph one-way: adding an edge that closes a loop is the cycle the rule exists to stop.
 */
const FEATURE_DEPENDENCIES = {
  accounts: [],
  admin: ['accounts'],
  blocks: [],
  chats: ['accounts', 'timeline'],
  messages: ['chats', 'timeline'],
  observability: [],
  presence: ['accounts', 'chats'],
  'rate-limits': ['accounts'],
  receipts: ['chats'],
  'scale-out': ['presence'],
  sso: ['accounts', 'admin'],
  timeline: [],
  unread: ['accounts'],
  webhooks: ['admin', 'presence'],
};

/** The files of a feature that other features may import; the rest of the folder is private. */
const FEATURE_PUBLIC_FILES = {
  accounts: [
    'access-tokens.ts',
    'account-status.ts',
    'account-use-cases.ts',
    'authenticate-access-token.ts',
    'origin.ts',
    'password-hasher.ts',
    'search-users.ts',
    'user-views.ts',
  ],
  admin: ['audit-trail.ts'],
  blocks: [],
  chats: ['chat-announcements.ts', 'chat-kinds.ts', 'list-chats.ts', 'membership-guard.ts'],
  messages: [],
  observability: [],
  presence: ['presence-registry.ts', 'redis-presence-registry.ts'],
  'rate-limits': [],
  receipts: [],
  'scale-out': [],
  sso: [],
  timeline: ['history-page.ts', 'message-view.ts'],
  unread: [],
  webhooks: [],
};

const FEATURES = Object.keys(FEATURE_DEPENDENCIES);
const USE_CASES = FEATURES.map((feature) => server(feature, '**'));
const KERNEL = [server('!(main|chat-server).ts')];
const COMPOSITION_ROOT = [server('main.ts'), server('chat-server.ts'), server('storage/create-storage.ts')];
const STORAGE_PORT = [server('storage/!(create-storage|*.test).ts')];
const STORAGE_RECORDS = [server('storage/records/**')];
const STORAGE_CONTRACT = [server('storage/contract/**')];
const SQLITE_ADAPTER = [server('storage/sqlite/**')];
const MONGO_ADAPTER = [server('storage/mongo/**')];
const ADAPTERS = [...SQLITE_ADAPTER, ...MONGO_ADAPTER];

const serverLayerZones = [
  {
    target: OPERATIONS,
    from: TRANSPORTS,
    message: 'Operations sit below the transports (http, realtime) and must not import them.',
  },
  {
    target: USE_CASES,
    from: [...TRANSPORTS, ...OPERATIONS],
    message: 'Use cases must not import transports (http, realtime) or the operation table.',
  },
  {
    target: KERNEL,
    from: [...TRANSPORTS, ...OPERATIONS, ...USE_CASES],
    message: 'The server kernel (app-error, config, logger, live-updates, …) sits below the use cases.',
  },
  {
    target: [...STORAGE_PORT, ...STORAGE_RECORDS, ...STORAGE_CONTRACT, ...ADAPTERS],
    from: [...TRANSPORTS, ...OPERATIONS, ...USE_CASES, ...KERNEL],
    message: 'Storage (port and adapters) must not import the server above it; it may import shared/src.',
  },
  {
    target: STORAGE_PORT,
    from: [...STORAGE_RECORDS, ...STORAGE_CONTRACT],
    message: 'The storage port must not depend on the adapters’ records or on its own test suite.',
  },
  {
    target: [...TRANSPORTS, ...OPERATIONS, ...USE_CASES, ...KERNEL, ...STORAGE_PORT, ...STORAGE_RECORDS, ...STORAGE_CONTRACT],
    from: ADAPTERS,
    message: 'Storage adapters are chosen by the composition root (storage/create-storage.ts); import the port (storage/storage.ts) instead.',
  },
  {
    target: SQLITE_ADAPTER,
    from: MONGO_ADAPTER,
    message: 'Storage adapters must not import each other; share code through storage/records/.',
  },
  {
    target: MONGO_ADAPTER,
    from: SQLITE_ADAPTER,
    message: 'Storage adapters must not import each other; share code through storage/records/.',
  },
  {
    target: [...TRANSPORTS, ...OPERATIONS, ...USE_CASES, ...KERNEL],
    from: [...STORAGE_RECORDS, ...STORAGE_CONTRACT],
    message: 'storage/records is the adapters’ own code and storage/contract is the port’s test suite.',
  },
  {
    target: [...TRANSPORTS, ...OPERATIONS, ...USE_CASES, ...KERNEL, ...STORAGE_PORT, ...STORAGE_RECORDS, ...STORAGE_CONTRACT, ...ADAPTERS],
    from: COMPOSITION_ROOT,
    message: 'The composition root (main.ts, chat-server.ts, storage/create-storage.ts) is imported by nothing in the server but main.ts.',
  },
];

const featureZones = FEATURES.flatMap((feature) => {
  const others = FEATURES.filter((other) => other !== feature);
  const allowed = FEATURE_DEPENDENCIES[feature];
  const forbidden = others.filter((other) => !allowed.includes(other));
  const zones = [];
  if (forbidden.length > 0) {
    zones.push({
      target: [server(feature, '**')],
      from: forbidden.map((other) => server(other, '**')),
      message: `The feature "${feature}" may import only these features: ${allowed.join(', ') || 'none'} (FEATURE_DEPENDENCIES in eslint.config.js).`,
    });
  }
  for (const other of allowed) {
    zones.push({
      target: [server(feature, '**')],
      from: [server(other, '**')],
      // Exceptions must be globs here: @(a.ts|b.ts) names exactly those files.
      except: FEATURE_PUBLIC_FILES[other].length > 0 ? [server(other, `@(${FEATURE_PUBLIC_FILES[other].join('|')})`)] : [],
      message: `Only the public files of "${other}" may be imported from another feature: ${FEATURE_PUBLIC_FILES[other].join(', ') || 'none'} (FEATURE_PUBLIC_FILES in eslint.config.js).`,
    });
  }
  return zones;
});

// ---------------------------------------------------------------- web client features

const CLIENT_FEATURES = [
  'chat',
  'chats',
  'connection',
  'core',
  'login',
  'offline',
  'outbox',
  'people',
  'register',
  'search',
  'server-events',
  'session',
  'sync',
  'timeline',
  'typing',
  'widget',
];

const clientFeatureZones = [
  ...CLIENT_FEATURES.map((feature) => ({
    target: [app(feature, '**')],
    from: CLIENT_FEATURES.filter((other) => other !== feature).map((other) => app(other, '*/**')),
    except: CLIENT_FEATURES.filter((other) => other !== feature).flatMap((other) => [
      app(other, 'state/**'),
      ...(other === 'core' ? [app('core/testing/**')] : []),
    ]),
    message:
      'Another feature’s subfolders are private to it: import its top-level files or its state/ folder.',
  })),
  // The widget is its own build: nothing of the app imports it (the app's first load must not
  // carry it), and its entry (frontend/src/widget/) imports only the widget feature's top-level
  // files (and zod-config.ts), never the rest of the app directly.
  {
    target: [app('!(widget)/**'), app('*.ts'), at('frontend/src/*.ts')],
    from: [app('widget/**'), at('frontend/src/widget/**')],
    message: 'The app never imports the widget: it is a separate build (frontend/src/widget/main.ts).',
  },
  {
    target: [at('frontend/src/widget/**')],
    from: [app('**')],
    except: [app('widget/*.ts')],
    message: 'The widget entry imports only the widget feature’s top-level files (frontend/src/app/widget/*.ts).',
  },
  {
    target: [app('*.ts'), app('!(core)/**/!(*.spec).ts'), app('core/!(testing)/**/!(*.spec).ts'), app('core/!(*.spec).ts'), at('frontend/src/*.ts')],
    from: [app('core/testing/**')],
    message: 'core/testing is for specs only.',
  },
];

// ---------------------------------------------------------------- whole repository

const repositoryZones = [
  {
    target: [at('frontend/src/**')],
    from: [at('backend/**'), at('bench/**'), at('frontend/e2e/**')],
    message: 'The web client never imports the server, the bench or the e2e tests; the wire contract is in shared/src.',
  },
  {
    target: [at('backend/**'), at('bench/**')],
    from: [at('frontend/src/**')],
    message: 'The server never imports the web client; the wire contract is in shared/src.',
  },
  {
    target: [at('shared/**')],
    from: [at('backend/**'), at('frontend/**'), at('bench/**')],
    message: 'shared/src is the wire contract; it imports neither the server nor the client.',
  },
  {
    target: [server('**')],
    from: [at('backend/test/**'), at('backend/scripts/**'), at('bench/**')],
    message: 'Server code must not import tests, scripts or the bench.',
  },
];

const boundaryZones = [...repositoryZones, ...serverLayerZones, ...featureZones, ...clientFeatureZones];

// ---------------------------------------------------------------- configuration

const typeAwareRules = {
  '@typescript-eslint/await-thenable': 'error',
  // node:test's describe/it/test return promises that the runner itself awaits.
  '@typescript-eslint/no-floating-promises': [
    'error',
    { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
  ],
  '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false, attributes: false } }],
  '@typescript-eslint/no-for-in-array': 'error',
  '@typescript-eslint/only-throw-error': 'error',
  '@typescript-eslint/prefer-promise-reject-errors': 'error',
};

export default defineConfig(
  {
    ignores: [
      '**/node_modules/**',
      'dist/**',
      '.angular/**',
      'bench/results/**',
      'frontend/e2e/artifacts/**',
      '**/*.d.ts',
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs,ts}'],
    extends: [importX.flatConfigs.typescript],
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'frontend/tsconfig.json', 'frontend/e2e/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: boundaryZones }],
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      'import-x/no-duplicates': 'error',
      'import-x/first': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // Server, shared contract, bench, scripts, e2e: Node, typed through the root tsconfig.json
  // (frontend/e2e through its own).
  {
    files: ['backend/**/*.ts', 'shared/**/*.ts', 'bench/**/*.ts', 'frontend/e2e/**/*.ts'],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: root },
    },
    rules: typeAwareRules,
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  // The web client: browser code typed through frontend/tsconfig.spec.json (app and specs).
  {
    files: ['frontend/src/**/*.ts'],
    extends: [angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    languageOptions: {
      globals: globals.browser,
      parserOptions: { project: ['frontend/tsconfig.spec.json'], tsconfigRootDir: root },
    },
    rules: {
      ...typeAwareRules,
      // Components are elements (app-chat-list), or an attribute on the native element they
      // stand for (header[appChatBoxHead]) where that element's own semantics matter.
      '@angular-eslint/component-selector': [
        'error',
        [
          { type: 'element', prefix: 'app', style: 'kebab-case' },
          { type: 'attribute', prefix: 'app', style: 'camelCase' },
        ],
      ],
      '@angular-eslint/directive-selector': ['error', { type: 'attribute', prefix: 'app', style: 'camelCase' }],
    },
  },
  {
    files: ['frontend/src/**/*.html'],
    extends: [angular.configs.templateRecommended, angular.configs.templateAccessibility],
  },
);
