// Import rules, checked by `npm run check:imports` (dependency-cruiser) in CI.
// The layers: src/server/core is the platform every feature builds on and knows no feature; each folder in
// src/server/features is a module whose only public face is its index.ts; src/server/*.ts, cli and demo compose
// them. The web app (src/web) talks to the server over HTTP only. Tests and benchmarks may import anything
// (they are not cruised). Type-only imports count: they couple modules as much as value imports do.
/** The web app's API contract, written by `npm run contract` */
const GENERATED_CONTRACT = '^src/web/(api\\.generated\\.ts$|generated/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means neither module can be understood, tested or moved without the other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-features',
      severity: 'error',
      comment: 'src/server/core is the platform features build on: it must not know any feature.',
      from: { path: '^src/server/core/' },
      to: { path: '^src/server/features/' },
    },
    {
      name: 'core-not-to-composition',
      severity: 'error',
      comment:
        'src/server/core must not import the composition layer (app.ts, features.ts, main.ts, cli, demo, …) ' +
        'either: that layer imports core, so this would be a cycle or a hidden dependency on the features.',
      from: { path: '^src/server/core/' },
      to: { path: '^src/server/', pathNot: ['^src/server/core/', '^src/server/features/'] },
    },
    {
      name: 'feature-only-through-index',
      severity: 'error',
      comment:
        "A feature uses another feature only through that feature's index.ts (its public interface), never a " +
        'file deeper inside it. ($1 is the importing feature: its own files are free.)',
      from: { path: '^src/server/features/([^/]+)/' },
      to: {
        path: '^src/server/features/[^/]+/',
        pathNot: ['^src/server/features/$1/', '^src/server/features/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'web-not-to-server',
      severity: 'error',
      comment:
        'The web app talks to the server over HTTP only; server code must not end up in the browser bundle. ' +
        'The generated API contract (src/web/api.generated.ts, src/web/generated/) is the one exception (next rule).',
      from: { path: '^src/web/', pathNot: GENERATED_CONTRACT },
      to: { path: '^src/server/' },
    },
    {
      name: 'web-generated-server-types-only',
      severity: 'error',
      comment: 'The generated contract may refer to server types, but imports nothing that runs.',
      from: { path: GENERATED_CONTRACT },
      to: { path: '^src/server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-not-to-web',
      severity: 'error',
      comment: 'The server serves the built web app as static files; it must not import its source.',
      from: { path: '^src/server/' },
      to: { path: '^src/web/' },
    },
    {
      name: 'src-not-to-dev-dependencies',
      severity: 'error',
      comment:
        'Code that runs in production (the server, the web bundle) must not need a devDependency: ' +
        '`npm ci --omit=dev` would leave it out. Type-only imports (e.g. @types/*) are fine.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import dependency-cruiser cannot resolve is a broken import or a package missing from package.json.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // count `import type` too (see above)
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
