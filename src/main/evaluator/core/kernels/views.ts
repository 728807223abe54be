// A typed view of an array in the evaluator's memory, indexed like a typed array: the pointer is
// the array's byte offset (layout.ts gives one per array). No bounds checks: the TypeScript side
// checks every index it hands over, and the kernels keep to the sizes it laid out.
@final
@unmanaged
export class View<T> {
  @inline
  @operator('[]')
  get(i: i32): T {
    return load<T>(changetype<usize>(this) + <usize>i * sizeof<T>())
  }

  @inline
  @operator('[]=')
  set(i: i32, value: T): void {
    store<T>(changetype<usize>(this) + <usize>i * sizeof<T>(), value)
  }

  /** The 16 bytes from element i on, as one SIMD vector (for i32: elements i..i+3). */
  @inline
  vector(i: i32): v128 {
    return v128.load(changetype<usize>(this) + <usize>i * sizeof<T>())
  }

  @inline
  setVector(i: i32, value: v128): void {
    v128.store(changetype<usize>(this) + <usize>i * sizeof<T>(), value)
  }
}

/** A view of the array at byte offset `at`. */
export function view<T>(at: usize): View<T> {
  return changetype<View<T>>(at)
}
