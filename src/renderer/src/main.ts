import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectApi } from './transport/api.ts'
import { useHistoryStore } from './stores/history.ts'
import { useReferencesStore } from './stores/references.ts'
import { applyTheme, useSettingsStore } from './stores/settings.ts'
import { useDrillStore } from './features/training/drill-store.ts'
import { useSessionStore } from './features/training/session-store.ts'
import { connectTrainingApi } from './features/training/training-api.ts'
import './styles.css'

const app = createApp(App)
app.use(createPinia())
app.mount('#app')
const api = connectApi()
applyTheme()
void useSettingsStore().connect(api)
void useReferencesStore().connect(api)
void useHistoryStore().connect(api)
connectTrainingApi(api)
useSessionStore().connect(api)
useDrillStore().connect(api)
