import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connectApi } from './api.ts'
import { useStudioStore } from './stores/studio.ts'
import './styles.css'

const app = createApp(App)
app.use(createPinia())
app.mount('#app')
void useStudioStore().connect(connectApi())
