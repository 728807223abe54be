import pluginVue from 'eslint-plugin-vue'
import { vueTsConfigs, withVueTs } from '@vue/eslint-config-typescript'
import globals from 'globals'
import prettier from 'eslint-config-prettier'

// Import boundaries: who may import whom (README, Contributing). ESLint replaces a rule's options
// per matching block rather than merging them, so each folder's block lists the whole set.
const ELECTRON = { name: 'electron', message: 'only src/main/shells/electron/ and the preload import electron' }
const NO_DEEP_RELATIVE = {
  group: ['../../*'],
  message: 'use a # import (#shared/, #main/, #renderer/, ...) instead of ../../'
}
const NO_DEV_CODE = {
  group: ['#test/*', '#bench/*', '#tools/*'],
  message: 'shipped code never imports tests, benchmarks or tools'
}

// Patterns are gitignore-style, where a leading # starts a comment: escape it.
const escapeHash = (p) => ({ ...p, group: p.group.map((g) => (g.startsWith('#') ? `\\${g}` : g)) })

function restrict({ electron = true, patterns = [] } = {}) {
  return ['error', { paths: electron ? [ELECTRON] : [], patterns: [NO_DEEP_RELATIVE, ...patterns].map(escapeHash) }]
}

const boundaries = {
  shared: [
    { group: ['#main/*', '#renderer/*', '#preload/*'], message: 'src/shared imports neither main nor renderer' },
    {
      group: ['node:*', 'sharp', 'ws', 'vue', 'pinia'],
      message: 'src/shared runs everywhere: no Node, DOM or framework imports'
    },
    NO_DEV_CODE
  ],
  evaluatorCore: [
    {
      group: ['#main/evaluator/process/*', '#main/shells/*', '#main/api/*', '#shared/rpc/*', '../process/*'],
      message: 'the evaluator core imports nothing from its process plumbing, the shells or the wire'
    },
    { group: ['node:*'], message: 'the evaluator core is pure: no I/O' },
    NO_DEV_CODE
  ],
  main: [
    { group: ['#main/shells/*', '#renderer/*'], message: 'services do not know the shells that carry them' },
    NO_DEV_CODE
  ],
  shells: [
    { group: ['#renderer/*'], message: 'the shells serve the built renderer, they do not import it' },
    NO_DEV_CODE
  ],
  renderer: [
    { group: ['#main/*', 'node:*'], message: 'the renderer is sandboxed: no main-side or Node code' },
    NO_DEV_CODE
  ],
  stores: [
    { group: ['#main/*', 'node:*'], message: 'the renderer is sandboxed: no main-side or Node code' },
    {
      group: ['*.vue', '#renderer/components/*', '#renderer/features/*/*.vue'],
      message: 'stores never import components'
    },
    NO_DEV_CODE
  ],
  bench: [{ group: ['#test/*'], message: 'benchmarks share tools/ with the tests, not the tests themselves' }],
  test: [{ group: ['#bench/*'], message: 'tests share tools/ with the benchmarks, not the benchmarks themselves' }],
  tools: [
    {
      group: ['#test/*', '#bench/*'],
      message: 'tools/ is neutral ground: tests and benchmarks import it, not the reverse'
    }
  ]
}

// window.sightline (the preload's bridge) is touched by the transport only.
const NO_BRIDGE = [
  'error',
  {
    selector: "MemberExpression[object.name='window'][property.name='sightline']",
    message: 'only src/renderer/src/transport/ touches window.sightline'
  }
]

export default withVueTs(
  { ignores: ['out/**', 'dist/**', 'test-results/**', 'node_modules/**', 'coverage/**'] },
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  { files: ['src/renderer/**/*'], languageOptions: { globals: { ...globals.browser } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }
      ],
      'no-restricted-imports': restrict(),
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off'
    }
  },
  { files: ['src/shared/**/*'], rules: { 'no-restricted-imports': restrict({ patterns: boundaries.shared }) } },
  { files: ['src/main/**/*'], rules: { 'no-restricted-imports': restrict({ patterns: boundaries.main }) } },
  {
    files: ['src/main/evaluator/core/**/*'],
    rules: { 'no-restricted-imports': restrict({ patterns: boundaries.evaluatorCore }) }
  },
  { files: ['src/main/shells/**/*'], rules: { 'no-restricted-imports': restrict({ patterns: boundaries.shells }) } },
  {
    files: ['src/main/shells/electron/**/*', 'src/preload/**/*'],
    rules: { 'no-restricted-imports': restrict({ electron: false, patterns: boundaries.shells }) }
  },
  {
    files: ['src/renderer/**/*'],
    rules: {
      'no-restricted-imports': restrict({ patterns: boundaries.renderer }),
      'no-restricted-syntax': NO_BRIDGE
    }
  },
  {
    files: ['src/renderer/src/stores/**/*'],
    rules: { 'no-restricted-imports': restrict({ patterns: boundaries.stores }) }
  },
  { files: ['src/renderer/src/transport/**/*'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['bench/**/*'], rules: { 'no-restricted-imports': restrict({ patterns: boundaries.bench }) } },
  {
    files: ['test/**/*'],
    rules: { 'no-restricted-imports': restrict({ electron: false, patterns: boundaries.test }) }
  },
  { files: ['tools/**/*'], rules: { 'no-restricted-imports': restrict({ patterns: boundaries.tools }) } },
  prettier
)
