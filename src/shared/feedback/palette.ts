// The colours the comparison views use, shared by the main side (which paints the pictures) and
// the renderer (which draws their legends). Hit / extra / missed and the onion skin's reference
// hue are from Okabe & Ito's colour-blind-safe palette ("Color Universal Design", 2002): bluish
// green, vermillion and blue stay distinct under protanopia, deuteranopia and tritanopia, and
// each is dark enough to read as a line on white paper.
export type Rgb = readonly [number, number, number]

/** A drawing pixel within the tolerance of the reference. */
export const HIT: Rgb = [0, 158, 115] // Okabe-Ito bluish green #009E73
/** A drawing pixel farther than the tolerance from the reference: ink where there is none. */
export const EXTRA: Rgb = [213, 94, 0] // Okabe-Ito vermillion #D55E00
/** A reference pixel farther than the tolerance from the drawing: a line that was missed. */
export const MISSED: Rgb = [0, 114, 178] // Okabe-Ito blue #0072B2
/** The reference ghosted over the drawing in the onion skin. */
export const REFERENCE_GHOST: Rgb = [0, 114, 178] // Okabe-Ito blue #0072B2

export const css = (rgb: Rgb): string => `rgb(${rgb[0]} ${rgb[1]} ${rgb[2]})`
