// The one shape of a file handed over whole: an attempt's export, a history export, a download
// for the browser to save. The name is a bare file name (no folders); the bytes are the file.

export interface NamedFile {
  /** A file name without folders, e.g. "Cube 2026-11-27 10-00-heatmap.png". */
  name: string
  /** Its media type, e.g. "image/png" or "text/csv; charset=utf-8". */
  mime: string
  bytes: Uint8Array
}
