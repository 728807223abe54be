// How much of the toolbar shows at a width: everything with labels; icons without labels; or
// the view toggles, History, shortcuts and Settings folded into the overflow menu. The widths are
// what the toolbar needs at each level (measured in Chromium, with the longest reference name cut
// to its maximum), so nothing is clipped or pushed off screen.

export type ToolbarLevel = 'full' | 'compact' | 'narrow'

/** The least toolbar width (CSS pixels) each level fits in. */
export const TOOLBAR_NEEDS: Record<Exclude<ToolbarLevel, 'narrow'>, number> = {
  full: 1440,
  compact: 1000
}

export function toolbarLevel(width: number): ToolbarLevel {
  if (width >= TOOLBAR_NEEDS.full) return 'full'
  if (width >= TOOLBAR_NEEDS.compact) return 'compact'
  return 'narrow'
}
