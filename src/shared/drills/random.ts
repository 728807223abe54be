// A small seedable generator (mulberry32): the same seed gives the same drill on every machine.

export type Random = () => number

export function seededRandom(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A uniform number in [lo, hi). */
export const between = (rand: Random, lo: number, hi: number): number => lo + (hi - lo) * rand()

/** One of the items, uniformly. */
export const pick = <T>(rand: Random, items: readonly T[]): T => items[Math.floor(rand() * items.length)]
