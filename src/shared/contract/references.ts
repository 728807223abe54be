export type ReferenceSource = 'bundled' | 'library'

export interface ReferenceSummary {
  id: string
  name: string
  source: ReferenceSource
  /** Size of the original image in pixels. */
  width: number
  height: number
}

export interface ReferenceImage {
  id: string
  /** The reference fitted into the frame ("contain", centred, white padding): what is scored. */
  width: number
  height: number
  png: Uint8Array
}

export interface ReferencesApi {
  listReferences(): Promise<ReferenceSummary[]>
  getReferenceImage(args: { id: string }): Promise<ReferenceImage>
}

export const REFERENCES_METHODS = ['listReferences', 'getReferenceImage'] as const satisfies readonly (keyof ReferencesApi)[]
