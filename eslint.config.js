import pluginVue from 'eslint-plugin-vue'
import { vueTsConfigs, withVueTs } from '@vue/eslint-config-typescript'
import globals from 'globals'

export default withVueTs(
  { ignores: ['out/**', 'dist/**', 'test-results/**', 'node_modules/**', 'coverage/**'] },
  pluginVue.configs['flat/recommended'],
  vueTsConfigs.recommended,
  {
    languageOptions: { globals: { ...globals.node } }
  },
  {
    files: ['src/renderer/**/*'],
    languageOptions: { globals: { ...globals.browser } }
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Electron may only be imported by the thin shell files (see README, Architecture).
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'only src/main/shells/electron/ and the preload import electron' }] }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off'
    }
  },
  {
    files: ['src/main/shells/electron/**/*.ts', 'src/preload/index.ts', 'test/stubs/electron.ts', 'test/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' }
  }
)
