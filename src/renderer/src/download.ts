// Files the host sends back for the browser to save (the host cannot write into the user's folders).
import type { NamedFile } from '#shared/contract/files.ts'

/** Hand each file to the browser's downloads, as if a link to it was clicked. */
export function downloadFiles(files: NamedFile[], doc: Document = document): void {
  for (const f of files) {
    const url = URL.createObjectURL(new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.mime }))
    const a = doc.createElement('a')
    a.href = url
    a.download = f.name
    a.rel = 'noopener'
    a.style.display = 'none'
    doc.body.append(a)
    a.click()
    a.remove()
    // The download has taken its copy once the click is handled.
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
  }
}
