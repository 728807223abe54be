import type { DrillKind } from '../drills/ids.ts'
import type { FrameSize } from './app.ts'

export type ReferenceSource = 'bundled' | 'library' | 'drill'

/** The image formats a reference may come in (what sharp decodes for us). */
export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff' | 'gif' | 'svg'

/**
 * How ink is taken from a reference, as the user picks it:
 * - `threshold`: the spec's luma rule, ink iff Y < threshold (integer 0..255; 128 is the spec default);
 * - `auto`: the same rule with the threshold chosen by Otsu's method on the fitted image;
 * - `outline`: edge detection, so a photo becomes lines; ink iff the (thinned) edge strength is at
 *   least `threshold` (integer 1..255, luma levels per pixel).
 * `invert`: light lines on a dark or transparent ground. The image is laid over black instead of
 * white and its colours inverted before the rule applies, so its light lines are the ink.
 */
export type InkChoice =
  | { mode: 'threshold'; threshold: number; invert?: boolean }
  | { mode: 'auto'; invert?: boolean }
  | { mode: 'outline'; threshold: number; invert?: boolean }

/**
 * The settings a reference record keeps: the choice with every number resolved. For `auto` the
 * threshold is the one Otsu picked on the fitted image (recomputed when the frame changes).
 */
export type InkSettings =
  | { mode: 'threshold'; threshold: number; invert?: boolean }
  | { mode: 'auto'; threshold: number; invert?: boolean }
  | { mode: 'outline'; threshold: number; invert?: boolean }

interface ReferenceBase {
  id: string
  name: string
  /** Size of the original image in pixels (after EXIF orientation). */
  width: number
  height: number
  ink: InkSettings
}

/** Shipped with the app: id `bundled:<name>`. */
export interface BundledReferenceSummary extends ReferenceBase {
  source: 'bundled'
}

/** Imported by the user, kept in the library: id `lib:<sha256 of the original bytes>`. */
export interface LibraryReferenceSummary extends ReferenceBase {
  source: 'library'
  /** The file name it was first imported from. */
  fileName: string
  format: ImageFormat
  /** Size of the original file in bytes. */
  bytes: number
  /** It looked like a photograph when imported (many tones): outline mode suits it. */
  photo: boolean
  /** The person's tags (a folder imported at once is tagged with the folder's name). */
  tags: string[]
  /** ISO times. */
  createdAt: string
  lastUsedAt: string
}

/** Generated from a seed (src/shared/drills/): id `drill:<kind>:<seed>`, never in a list. */
export interface DrillReferenceSummary extends ReferenceBase {
  source: 'drill'
  kind: DrillKind
  seed: number
}

export type ReferenceSummary = BundledReferenceSummary | LibraryReferenceSummary | DrillReferenceSummary

export interface ReferenceImage {
  id: string
  /** The reference fitted into the frame ("contain", centred, white padding): what is scored. */
  width: number
  height: number
  png: Uint8Array
}

/** Where an import comes from: a path (desktop app: file dialog, drag and drop) or uploaded bytes (Node host). */
export type ReferenceUpload = { path: string } | { fileName: string; bytes: Uint8Array }

/** The extracted ink for some settings, drawn over a faint copy of the reference, at frame size. */
export interface InkPreview {
  id: string
  width: number
  height: number
  png: Uint8Array
  /** How many frame pixels are ink (0 means these settings would be refused). */
  inkPixels: number
  settings: InkSettings
}

export interface ReferenceThumbnail {
  id: string
  /** Fits in THUMBNAIL_SIZE x THUMBNAIL_SIZE, aspect kept. */
  width: number
  height: number
  png: Uint8Array
}

export const THUMBNAIL_SIZE = 160

/** A reference whose longest side is under this many pixels is enlarged into the frame and looks blurred. */
export const SMALL_REFERENCE_SIDE = 300

/** The spec's default luma threshold, used by the bundled line drawings. */
export const DEFAULT_LUMA_THRESHOLD = 128
/** A good starting edge strength for outline mode on photos (luma levels). */
export const DEFAULT_OUTLINE_THRESHOLD = 32

/** The largest file accepted as a reference. */
export const MAX_REFERENCE_BYTES = 100 * 1000 * 1000
/** The largest image accepted as a reference, in pixels (width x height). */
export const MAX_REFERENCE_PIXELS = 40 * 1000 * 1000

export interface ReferencesApi {
  /** Bundled references, then the library (most recently used first). */
  listReferences(): Promise<ReferenceSummary[]>
  /** The references opened most recently, most recent first (at most 12). */
  recentReferences(): Promise<ReferenceSummary[]>
  /**
   * The reference fitted into `frame` (an attempt's own frame), or by default into the frame a new
   * attempt gets: its aspect, the longest side from the settings. Opening a reference counts as
   * using it (recent list, last used).
   */
  getReferenceImage(args: { id: string; frame?: FrameSize }): Promise<ReferenceImage>
  getReferenceThumbnail(args: { id: string }): Promise<ReferenceThumbnail>
  /**
   * Copy an image into the library (same bytes, same record) and return its record. `ink`
   * defaults to `auto`. Refused files get a 'bad-image' or 'no-ink' error and write nothing.
   * A path is accepted from the desktop app only.
   */
  importReference(args: ReferenceUpload & { ink?: InkChoice }): Promise<ReferenceSummary>
  /** The ink these settings would extract, fast enough to follow a slider. */
  previewInk(args: { id: string; ink: InkChoice }): Promise<InkPreview>
  /** Keep these settings on the reference ('no-ink' if they extract nothing). */
  setReferenceInk(args: { id: string; ink: InkChoice }): Promise<ReferenceSummary>
  /** The lines being scored (its ink at the saved settings), black on white, fitted like getReferenceImage. */
  getReferenceLines(args: { id: string; frame?: FrameSize }): Promise<ReferenceImage>
  /** A library reference's name ('invalid-input' for a bundled one). */
  renameReference(args: { id: string; name: string }): Promise<ReferenceSummary>
  /** A library reference's tags, in the order given (trimmed, without repeats). */
  setReferenceTags(args: { id: string; tags: string[] }): Promise<ReferenceSummary>
  /** Hide a library reference everywhere (its attempts stay in the history); restorable for 30 days. */
  removeReference(args: { id: string }): Promise<{ id: string }>
  restoreReference(args: { id: string }): Promise<ReferenceSummary>
}

export const MAX_REFERENCE_NAME = 120
export const MAX_TAGS = 12
export const MAX_TAG_LENGTH = 40

export const REFERENCES_METHODS = [
  'listReferences',
  'recentReferences',
  'getReferenceImage',
  'getReferenceThumbnail',
  'importReference',
  'previewInk',
  'setReferenceInk',
  'getReferenceLines',
  'renameReference',
  'setReferenceTags',
  'removeReference',
  'restoreReference'
] as const satisfies readonly (keyof ReferencesApi)[]
