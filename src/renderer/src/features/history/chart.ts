// Chart.js, registered once with only the parts the history uses (line charts on linear axes),
// and the studio's colours read from its CSS variables so charts follow the light / dark theme.
// Chart.js draws on a canvas and sets sizes through the CSSOM: nothing it does needs the CSP to
// allow inline <style> or eval.
import { Chart, LineController, LineElement, LinearScale, PointElement, Tooltip, type Plugin } from 'chart.js'
import { onBeforeUnmount, onMounted, watch, type WatchSource } from 'vue'

let registered = false
export function chartJs(): typeof Chart {
  if (!registered) {
    Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip)
    registered = true
  }
  return Chart
}

export interface ChartTheme {
  text: string
  muted: string
  grid: string
  line: string
  best: string
  surface: string
  marker: string
}

/**
 * The theme's colours now, as the canvas can use them. The CSS variables hold light-dark() pairs
 * (styles.css), which only an element's computed colour resolves: read them through a probe.
 */
export function chartTheme(doc: Document = document): ChartTheme {
  const probe = doc.createElement('span')
  probe.style.display = 'none'
  doc.documentElement.appendChild(probe)
  const v = (name: string, fallback: string): string => {
    probe.style.color = `var(${name}, ${fallback})`
    return getComputedStyle(probe).color || fallback
  }
  try {
    return {
      text: v('--text', '#1f1d1a'),
      muted: v('--muted', '#6b665e'),
      grid: v('--hairline', '#dcd7ce'),
      line: v('--accent', '#2f62c9'),
      best: v('--heat', '#e4572e'),
      surface: v('--surface', '#faf9f7'),
      marker: v('--muted', '#6b665e')
    }
  } finally {
    probe.remove()
  }
}

/** Calls back when the colours change (the system's scheme, or the theme setting); returns the unsubscribe. */
export function onThemeChange(callback: () => void, win: Window = window): () => void {
  const query = win.matchMedia?.('(prefers-color-scheme: dark)')
  query?.addEventListener('change', callback)
  // The theme setting is an attribute on the root element (stores/settings.ts applyTheme).
  const observer = new (win as Window & typeof globalThis).MutationObserver(callback)
  observer.observe(win.document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  return () => {
    query?.removeEventListener('change', callback)
    observer.disconnect()
  }
}

/** A canvas Chart.js can draw on (a DOM without canvas support, as in unit tests, has none). */
export function canDraw(canvas: HTMLCanvasElement | null): canvas is HTMLCanvasElement {
  try {
    return canvas !== null && canvas.getContext('2d') !== null
  } catch {
    return false
  }
}

/** A vertical line at an x value (the replay's current step), drawn after the datasets. */
export function markerPlugin(getX: () => number | null, getColour: () => string): Plugin<'line'> {
  return {
    id: 'sightlineMarker',
    afterDatasetsDraw(chart) {
      const x = getX()
      if (x === null) return
      const scale = chart.scales.x
      const px = scale.getPixelForValue(x)
      if (!Number.isFinite(px) || px < chart.chartArea.left - 1 || px > chart.chartArea.right + 1) return
      const ctx = chart.ctx
      ctx.save()
      ctx.strokeStyle = getColour()
      ctx.lineWidth = 1
      ctx.setLineDash([4, 3])
      ctx.beginPath()
      ctx.moveTo(px, chart.chartArea.top)
      ctx.lineTo(px, chart.chartArea.bottom)
      ctx.stroke()
      ctx.restore()
    }
  }
}

/**
 * A chart that lives with its component: made on mount, made again when `source` changes or the
 * colour scheme does, destroyed on unmount. `make` returns null when there is nothing to draw.
 * Returns `redraw`, for what the chart reads at draw time (the replay's marker).
 */
export function useThemedChart(
  make: () => { destroy(): void; draw(): void } | null,
  source: WatchSource
): { redraw(): void } {
  let chart: { destroy(): void; draw(): void } | null = null
  let stopTheme: (() => void) | null = null
  const build = (): void => {
    chart?.destroy()
    chart = make()
  }
  onMounted(() => {
    build()
    stopTheme = onThemeChange(build)
  })
  onBeforeUnmount(() => {
    stopTheme?.()
    chart?.destroy()
    chart = null
  })
  watch(source, build)
  return { redraw: () => chart?.draw() }
}
