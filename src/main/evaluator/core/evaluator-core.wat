;; The streaming evaluator's hot loops in WebAssembly: the L1 distance transform, adding ink,
;; and lowering the reference errors after an add. The algorithm and its data are those of
;; streaming-evaluator.ts, which owns the memory and does everything else; see its comments.
;;
;; Memory (imported, laid out by layout.ts): a header of i32 slots at byte 0 giving the frame
;; size and where each array is, f64 slots at byte 256 for sums and counters, then the arrays.
;; Build: `npm run build:wasm` turns this file into evaluator-core-wasm.ts.
(module
  (import "env" "memory" (memory 1))

  ;; --- header slots (i32 at 4 * slot) -------------------------------------------------------
  ;; 0 W  1 H  2 refDist(u16)  3 ink(u8, 1 = ink)  4 rowCell(u8)  5 colCell(u8)  6 refYX(i32)  7 refErr(i32)
  ;; 8 blockStart  9 blockY0  10 blockY1  11 blockX0  12 blockX1  13 blockMax  14 cellBlockStart
  ;; 15 cellY0  16 cellY1  17 cellX0  18 cellX1  19 cellMaxR  20 cellMaxD
  ;; 21 refFine  22 refCoarse  23 drawFine  24 drawCoarse  25 scratch(u16)
  ;; out: 32 y0  33 y1  34 x0  35 x1 (bounding box of the last addInk)
  ;; --- f64 slots (at 256 + 8 * slot) ---------------------------------------------------------
  ;; 0 drawCount  1 drawSum  2 refCount  3 refSum  4 visited  5 tests  6 examined  7 changes

  (func $h (param $slot i32) (result i32)
    (i32.load (i32.shl (local.get $slot) (i32.const 2))))

  (func $addF (param $slot i32) (param $v f64)
    (local $a i32)
    (local.set $a (i32.add (i32.const 256) (i32.shl (local.get $slot) (i32.const 3))))
    (f64.store (local.get $a) (f64.add (f64.load (local.get $a)) (local.get $v))))

  ;; p / W without a division: (p * ceil(2^40 / W)) >> 40 is exact for p < 2^24 and W <= 4096
  ;; (the error is below 2^-16, the fractional part of p / W at most 1 - 2^-12).
  (func $magic (param $W i32) (result i64)
    (i64.div_u (i64.add (i64.const 0x10000000000) (i64.extend_i32_u (i32.sub (local.get $W) (i32.const 1))))
               (i64.extend_i32_u (local.get $W))))
  (func $row (param $p i32) (param $magic i64) (result i32)
    (i32.wrap_i64 (i64.shr_u (i64.mul (i64.extend_i32_u (local.get $p)) (local.get $magic)) (i64.const 40))))

  ;; L1 gap between boxes a and b (0 when they overlap).
  (func $gap (param $ay0 i32) (param $ay1 i32) (param $ax0 i32) (param $ax1 i32)
             (param $by0 i32) (param $by1 i32) (param $bx0 i32) (param $bx1 i32) (result i32)
    (local $g i32)
    (if (i32.gt_s (local.get $ay0) (local.get $by1))
      (then (local.set $g (i32.sub (local.get $ay0) (local.get $by1))))
      (else (if (i32.gt_s (local.get $by0) (local.get $ay1))
        (then (local.set $g (i32.sub (local.get $by0) (local.get $ay1)))))))
    (if (i32.gt_s (local.get $ax0) (local.get $bx1))
      (then (local.set $g (i32.add (local.get $g) (i32.sub (local.get $ax0) (local.get $bx1)))))
      (else (if (i32.gt_s (local.get $bx0) (local.get $ax1))
        (then (local.set $g (i32.add (local.get $g) (i32.sub (local.get $bx0) (local.get $ax1))))))))
    (local.get $g))

  ;; Exact L1 distance transform in place (two raster passes), u16 cells at $d, w x h.
  ;; Sources hold 0, the rest 0xFFFF; a cell's value + 1 never wraps because w + h <= 8192.
  (func $dt (export "dt") (param $d i32) (param $w i32) (param $h i32)
    (local $i i32) (local $end i32) (local $row i32) (local $prev i32) (local $v i32) (local $t i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $w) (i32.const 1)))
    ;; forward, first row
    (local.set $i (i32.add (local.get $d) (i32.const 2)))
    (local.set $end (i32.add (local.get $d) (local.get $stride)))
    (block $b0 (loop $l0
      (br_if $b0 (i32.ge_u (local.get $i) (local.get $end)))
      (local.set $t (i32.add (i32.load16_u (i32.sub (local.get $i) (i32.const 2))) (i32.const 1)))
      (if (i32.lt_u (local.get $t) (i32.load16_u (local.get $i))) (then (i32.store16 (local.get $i) (local.get $t))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $l0)))
    ;; forward, other rows
    (local.set $row (i32.const 1))
    (block $b1 (loop $l1
      (br_if $b1 (i32.ge_u (local.get $row) (local.get $h)))
      (local.set $i (i32.add (local.get $d) (i32.mul (local.get $row) (local.get $stride))))
      (local.set $end (i32.add (local.get $i) (local.get $stride)))
      (local.set $prev (i32.load16_u (local.get $i)))
      (local.set $t (i32.add (i32.load16_u (i32.sub (local.get $i) (local.get $stride))) (i32.const 1)))
      (if (i32.lt_u (local.get $t) (local.get $prev)) (then
        (local.set $prev (local.get $t))
        (i32.store16 (local.get $i) (local.get $t))))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (block $b2 (loop $l2
        (br_if $b2 (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (i32.load16_u (local.get $i)))
        (local.set $t (i32.add (i32.load16_u (i32.sub (local.get $i) (local.get $stride))) (i32.const 1)))
        (if (i32.lt_u (local.get $t) (local.get $v)) (then (local.set $v (local.get $t))))
        (local.set $t (i32.add (local.get $prev) (i32.const 1)))
        (if (i32.lt_u (local.get $t) (local.get $v)) (then (local.set $v (local.get $t))))
        (i32.store16 (local.get $i) (local.get $v))
        (local.set $prev (local.get $v))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $l2)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $l1)))
    ;; backward, last row
    (local.set $row (i32.sub (local.get $h) (i32.const 1)))
    (local.set $end (i32.add (local.get $d) (i32.mul (local.get $row) (local.get $stride))))
    (local.set $i (i32.sub (i32.add (local.get $end) (local.get $stride)) (i32.const 4)))
    (block $b3 (loop $l3
      (br_if $b3 (i32.lt_s (local.get $i) (local.get $end)))
      (local.set $t (i32.add (i32.load16_u (i32.add (local.get $i) (i32.const 2))) (i32.const 1)))
      (if (i32.lt_u (local.get $t) (i32.load16_u (local.get $i))) (then (i32.store16 (local.get $i) (local.get $t))))
      (local.set $i (i32.sub (local.get $i) (i32.const 2)))
      (br $l3)))
    ;; backward, other rows
    (local.set $row (i32.sub (local.get $h) (i32.const 2)))
    (block $b4 (loop $l4
      (br_if $b4 (i32.lt_s (local.get $row) (i32.const 0)))
      (local.set $end (i32.add (local.get $d) (i32.mul (local.get $row) (local.get $stride))))
      (local.set $i (i32.sub (i32.add (local.get $end) (local.get $stride)) (i32.const 2)))
      (local.set $prev (i32.load16_u (local.get $i)))
      (local.set $t (i32.add (i32.load16_u (i32.add (local.get $i) (local.get $stride))) (i32.const 1)))
      (if (i32.lt_u (local.get $t) (local.get $prev)) (then
        (local.set $prev (local.get $t))
        (i32.store16 (local.get $i) (local.get $t))))
      (local.set $i (i32.sub (local.get $i) (i32.const 2)))
      (block $b5 (loop $l5
        (br_if $b5 (i32.lt_s (local.get $i) (local.get $end)))
        (local.set $v (i32.load16_u (local.get $i)))
        (local.set $t (i32.add (i32.load16_u (i32.add (local.get $i) (local.get $stride))) (i32.const 1)))
        (if (i32.lt_u (local.get $t) (local.get $v)) (then (local.set $v (local.get $t))))
        (local.set $t (i32.add (local.get $prev) (i32.const 1)))
        (if (i32.lt_u (local.get $t) (local.get $v)) (then (local.set $v (local.get $t))))
        (i32.store16 (local.get $i) (local.get $v))
        (local.set $prev (local.get $v))
        (local.set $i (i32.sub (local.get $i) (i32.const 2)))
        (br $l5)))
      (local.set $row (i32.sub (local.get $row) (i32.const 1)))
      (br $l4))))

  ;; Ink the n pixels at $list (i32, checked by the caller): pixels that were background are
  ;; compacted to the front of the list; each one's e(d) = refDist goes into the drawing
  ;; histogram, the sum and its cell's maximum. Returns how many were new; their bounding box
  ;; is left in header slots 32..35.
  (func (export "addInk") (param $list i32) (param $n i32) (result i32)
    (local $W i32) (local $refDist i32) (local $ink i32) (local $rowCell i32) (local $colCell i32)
    (local $cellMaxD i32) (local $fine i32) (local $coarse i32)
    (local $k i32) (local $count i32) (local $p i32) (local $a i32) (local $e i32) (local $y i32) (local $x i32) (local $c i32)
    (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32) (local $sum f64) (local $magic i64)
    (local.set $W (call $h (i32.const 0)))
    (local.set $magic (call $magic (local.get $W)))
    (local.set $refDist (call $h (i32.const 2)))
    (local.set $ink (call $h (i32.const 3)))
    (local.set $rowCell (call $h (i32.const 4)))
    (local.set $colCell (call $h (i32.const 5)))
    (local.set $cellMaxD (call $h (i32.const 20)))
    (local.set $fine (call $h (i32.const 23)))
    (local.set $coarse (call $h (i32.const 24)))
    (local.set $y0 (call $h (i32.const 1)))
    (local.set $y1 (i32.const -1))
    (local.set $x0 (local.get $W))
    (local.set $x1 (i32.const -1))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $p (i32.load (i32.add (local.get $list) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (local.set $a (i32.add (local.get $ink) (local.get $p)))
      (br_if $next (i32.load8_u (local.get $a)))
      (i32.store8 (local.get $a) (i32.const 1))
      (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $p))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (local.set $e (i32.load16_u (i32.add (local.get $refDist) (i32.shl (local.get $p) (i32.const 1)))))
      (local.set $a (i32.add (local.get $fine) (i32.shl (local.get $e) (i32.const 2))))
      (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
      (local.set $a (i32.add (local.get $coarse) (i32.shl (i32.shr_u (local.get $e) (i32.const 6)) (i32.const 2))))
      (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
      (local.set $sum (f64.add (local.get $sum) (f64.convert_i32_u (local.get $e))))
      (local.set $y (call $row (local.get $p) (local.get $magic)))
      (local.set $x (i32.sub (local.get $p) (i32.mul (local.get $y) (local.get $W))))
      (local.set $c (i32.add
        (i32.mul (i32.load8_u (i32.add (local.get $rowCell) (local.get $y))) (i32.const 10))
        (i32.load8_u (i32.add (local.get $colCell) (local.get $x)))))
      (local.set $a (i32.add (local.get $cellMaxD) (i32.shl (local.get $c) (i32.const 2))))
      (if (i32.gt_s (local.get $e) (i32.load (local.get $a))) (then (i32.store (local.get $a) (local.get $e))))
      (if (i32.lt_s (local.get $y) (local.get $y0)) (then (local.set $y0 (local.get $y))))
      (if (i32.gt_s (local.get $y) (local.get $y1)) (then (local.set $y1 (local.get $y))))
      (if (i32.lt_s (local.get $x) (local.get $x0)) (then (local.set $x0 (local.get $x))))
      (if (i32.gt_s (local.get $x) (local.get $x1)) (then (local.set $x1 (local.get $x))))
      (br $next)))
    (i32.store (i32.const 128) (local.get $y0))
    (i32.store (i32.const 132) (local.get $y1))
    (i32.store (i32.const 136) (local.get $x0))
    (i32.store (i32.const 140) (local.get $x1))
    (call $addF (i32.const 0) (f64.convert_i32_u (local.get $count)))
    (call $addF (i32.const 1) (local.get $sum))
    (local.get $count))

  ;; A distance-transform source for the ink in a window (wy0, wx0, ww x wh) at $dst: 0 at ink,
  ;; 0xFFFF elsewhere.
  (func (export "inkWindow") (param $dst i32) (param $wy0 i32) (param $wx0 i32) (param $ww i32) (param $wh i32)
    (local $W i32) (local $src i32) (local $row i32) (local $x i32)
    (local.set $W (call $h (i32.const 0)))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $wh)))
      (local.set $src (i32.add (call $h (i32.const 3))
        (i32.add (i32.mul (i32.add (local.get $wy0) (local.get $row)) (local.get $W)) (local.get $wx0))))
      (local.set $x (i32.const 0))
      (block $colsDone (loop $cols
        (br_if $colsDone (i32.ge_u (local.get $x) (local.get $ww)))
        (i32.store16 (local.get $dst)
          (select (i32.const 0) (i32.const 0xffff) (i32.load8_u (i32.add (local.get $src) (local.get $x)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 2)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $cols)))
      (local.set $row (i32.add (local.get $row) (i32.const 1)))
      (br $rows))))

  ;; After adding the n pixels at $list (bounding box y0..y1, x0..x1, whose area fits the
  ;; scratch): e(r) = min(e(r), dist(r, list)) for every reference pixel that can improve.
  ;; dist(r, S) = |r - clamp(r)| + dt[clamp(r)] with the clamp to S's box; a block (or cell)
  ;; whose gap to the box is already >= its largest error is skipped whole.
  (func (export "lowerErrors") (param $list i32) (param $n i32) (param $y0 i32) (param $y1 i32) (param $x0 i32) (param $x1 i32)
    (local $W i32) (local $dt i32) (local $ww i32) (local $area i32) (local $k i32) (local $p i32) (local $y i32)
    (local $refYX i32) (local $refErr i32) (local $blockStart i32) (local $bY0 i32) (local $bY1 i32) (local $bX0 i32) (local $bX1 i32)
    (local $blockMax i32) (local $cellBlockStart i32) (local $cellMaxR i32) (local $fine i32) (local $coarse i32)
    (local $c i32) (local $b i32) (local $bFrom i32) (local $bTo i32) (local $oldMax i32) (local $newMax i32) (local $changed i32)
    (local $i i32) (local $to i32) (local $v i32) (local $ry i32) (local $rx i32) (local $cy i32) (local $cx i32) (local $d i32)
    (local $a i32) (local $e i32) (local $m i32)
    (local $sum f64) (local $delta i32) (local $newlyFinite i32) (local $tests i32) (local $examined i32) (local $changes i32)
    (local $cY0 i32) (local $cY1 i32) (local $cX0 i32) (local $cX1 i32) (local $magic i64)
    (local.set $W (call $h (i32.const 0)))
    (local.set $magic (call $magic (local.get $W)))
    (local.set $dt (call $h (i32.const 25)))
    (local.set $refYX (call $h (i32.const 6)))
    (local.set $refErr (call $h (i32.const 7)))
    (local.set $blockStart (call $h (i32.const 8)))
    (local.set $bY0 (call $h (i32.const 9)))
    (local.set $bY1 (call $h (i32.const 10)))
    (local.set $bX0 (call $h (i32.const 11)))
    (local.set $bX1 (call $h (i32.const 12)))
    (local.set $blockMax (call $h (i32.const 13)))
    (local.set $cellBlockStart (call $h (i32.const 14)))
    (local.set $cellMaxR (call $h (i32.const 19)))
    (local.set $fine (call $h (i32.const 21)))
    (local.set $coarse (call $h (i32.const 22)))
    ;; The window: FAR everywhere, 0 at the new pixels, then the transform.
    (local.set $ww (i32.add (i32.sub (local.get $x1) (local.get $x0)) (i32.const 1)))
    (local.set $area (i32.mul (local.get $ww) (i32.add (i32.sub (local.get $y1) (local.get $y0)) (i32.const 1))))
    (memory.fill (local.get $dt) (i32.const 0xff) (i32.shl (local.get $area) (i32.const 1)))
    (block $marked (loop $mark
      (br_if $marked (i32.ge_u (local.get $k) (local.get $n)))
      (local.set $p (i32.load (i32.add (local.get $list) (i32.shl (local.get $k) (i32.const 2)))))
      (local.set $y (call $row (local.get $p) (local.get $magic)))
      (i32.store16
        (i32.add (local.get $dt) (i32.shl (i32.add
          (i32.mul (i32.sub (local.get $y) (local.get $y0)) (local.get $ww))
          (i32.sub (i32.sub (local.get $p) (i32.mul (local.get $y) (local.get $W))) (local.get $x0))) (i32.const 1)))
        (i32.const 0))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $mark)))
    (call $dt (local.get $dt) (local.get $ww) (i32.add (i32.sub (local.get $y1) (local.get $y0)) (i32.const 1)))
    (local.set $sum (f64.const 0))
    (local.set $cY0 (call $h (i32.const 15)))
    (local.set $cY1 (call $h (i32.const 16)))
    (local.set $cX0 (call $h (i32.const 17)))
    (local.set $cX1 (call $h (i32.const 18)))
    (local.set $c (i32.const 0))
    (block $cellsDone (loop $cells
      (br_if $cellsDone (i32.ge_u (local.get $c) (i32.const 100)))
      (local.set $bFrom (i32.load (i32.add (local.get $cellBlockStart) (i32.shl (local.get $c) (i32.const 2)))))
      (local.set $bTo (i32.load (i32.add (local.get $cellBlockStart) (i32.shl (i32.add (local.get $c) (i32.const 1)) (i32.const 2)))))
      (block $skipCell
        (br_if $skipCell (i32.eq (local.get $bFrom) (local.get $bTo)))
        (br_if $skipCell (i32.ge_s
          (call $gap
            (i32.load (i32.add (local.get $cY0) (i32.shl (local.get $c) (i32.const 2))))
            (i32.load (i32.add (local.get $cY1) (i32.shl (local.get $c) (i32.const 2))))
            (i32.load (i32.add (local.get $cX0) (i32.shl (local.get $c) (i32.const 2))))
            (i32.load (i32.add (local.get $cX1) (i32.shl (local.get $c) (i32.const 2))))
            (local.get $y0) (local.get $y1) (local.get $x0) (local.get $x1))
          (i32.load (i32.add (local.get $cellMaxR) (i32.shl (local.get $c) (i32.const 2))))))
        (local.set $changed (i32.const 0))
        (local.set $b (local.get $bFrom))
        (block $blocksDone (loop $blocks
          (br_if $blocksDone (i32.ge_u (local.get $b) (local.get $bTo)))
          (local.set $examined (i32.add (local.get $examined) (i32.const 1)))
          (local.set $a (i32.shl (local.get $b) (i32.const 2)))
          (local.set $oldMax (i32.load (i32.add (local.get $blockMax) (local.get $a))))
          (block $skipBlock
            (br_if $skipBlock (i32.ge_s
              (call $gap
                (i32.load (i32.add (local.get $bY0) (local.get $a)))
                (i32.load (i32.add (local.get $bY1) (local.get $a)))
                (i32.load (i32.add (local.get $bX0) (local.get $a)))
                (i32.load (i32.add (local.get $bX1) (local.get $a)))
                (local.get $y0) (local.get $y1) (local.get $x0) (local.get $x1))
              (local.get $oldMax)))
            (local.set $i (i32.load (i32.add (local.get $blockStart) (local.get $a))))
            (local.set $to (i32.load (i32.add (local.get $blockStart) (i32.add (local.get $a) (i32.const 4)))))
            (local.set $tests (i32.add (local.get $tests) (i32.sub (local.get $to) (local.get $i))))
            (local.set $newMax (i32.const 0))
            (local.set $delta (i32.const 0))
            (block $refsDone (loop $refs
              (br_if $refsDone (i32.ge_u (local.get $i) (local.get $to)))
              (local.set $v (i32.load (i32.add (local.get $refYX) (i32.shl (local.get $i) (i32.const 2)))))
              (local.set $ry (i32.shr_u (local.get $v) (i32.const 12)))
              (local.set $rx (i32.and (local.get $v) (i32.const 4095)))
              (local.set $d (i32.const 0))
              (local.set $cy (local.get $ry))
              (if (i32.lt_s (local.get $ry) (local.get $y0))
                (then (local.set $cy (local.get $y0)) (local.set $d (i32.sub (local.get $y0) (local.get $ry))))
                (else (if (i32.gt_s (local.get $ry) (local.get $y1))
                  (then (local.set $cy (local.get $y1)) (local.set $d (i32.sub (local.get $ry) (local.get $y1)))))))
              (local.set $cx (local.get $rx))
              (if (i32.lt_s (local.get $rx) (local.get $x0))
                (then (local.set $cx (local.get $x0)) (local.set $d (i32.add (local.get $d) (i32.sub (local.get $x0) (local.get $rx)))))
                (else (if (i32.gt_s (local.get $rx) (local.get $x1))
                  (then (local.set $cx (local.get $x1)) (local.set $d (i32.add (local.get $d) (i32.sub (local.get $rx) (local.get $x1))))))))
              (local.set $d (i32.add (local.get $d) (i32.load16_u (i32.add (local.get $dt) (i32.shl
                (i32.add (i32.mul (i32.sub (local.get $cy) (local.get $y0)) (local.get $ww)) (i32.sub (local.get $cx) (local.get $x0)))
                (i32.const 1))))))
              (local.set $a (i32.add (local.get $refErr) (i32.shl (local.get $i) (i32.const 2))))
              (local.set $e (i32.load (local.get $a)))
              (if (i32.lt_s (local.get $d) (local.get $e)) (then
                ;; The histogram update, written out (this is the hottest path of the evaluator).
                (local.set $m (i32.add (local.get $fine) (i32.shl (local.get $d) (i32.const 2))))
                (i32.store (local.get $m) (i32.add (i32.load (local.get $m)) (i32.const 1)))
                (local.set $m (i32.add (local.get $coarse) (i32.shl (i32.shr_u (local.get $d) (i32.const 6)) (i32.const 2))))
                (i32.store (local.get $m) (i32.add (i32.load (local.get $m)) (i32.const 1)))
                (if (i32.eq (local.get $e) (i32.const 0xffff))
                  (then
                    (local.set $newlyFinite (i32.add (local.get $newlyFinite) (i32.const 1)))
                    (local.set $delta (i32.add (local.get $delta) (local.get $d))))
                  (else
                    (local.set $m (i32.add (local.get $fine) (i32.shl (local.get $e) (i32.const 2))))
                    (i32.store (local.get $m) (i32.sub (i32.load (local.get $m)) (i32.const 1)))
                    (local.set $m (i32.add (local.get $coarse) (i32.shl (i32.shr_u (local.get $e) (i32.const 6)) (i32.const 2))))
                    (i32.store (local.get $m) (i32.sub (i32.load (local.get $m)) (i32.const 1)))
                    (local.set $delta (i32.add (local.get $delta) (i32.sub (local.get $d) (local.get $e))))))
                (i32.store (local.get $a) (local.get $d))
                (local.set $e (local.get $d))
                (local.set $changes (i32.add (local.get $changes) (i32.const 1)))))
              (if (i32.gt_s (local.get $e) (local.get $newMax)) (then (local.set $newMax (local.get $e))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $refs)))
            (local.set $sum (f64.add (local.get $sum) (f64.convert_i32_s (local.get $delta))))
            (if (i32.ne (local.get $newMax) (local.get $oldMax)) (then
              (i32.store (i32.add (local.get $blockMax) (i32.shl (local.get $b) (i32.const 2))) (local.get $newMax))
              (local.set $changed (i32.const 1)))))
          (local.set $b (i32.add (local.get $b) (i32.const 1)))
          (br $blocks)))
        ;; The cell's largest reference error is its blocks' largest.
        (if (local.get $changed) (then
          (local.set $m (i32.const 0))
          (local.set $b (local.get $bFrom))
          (block $maxDone (loop $max
            (br_if $maxDone (i32.ge_u (local.get $b) (local.get $bTo)))
            (local.set $e (i32.load (i32.add (local.get $blockMax) (i32.shl (local.get $b) (i32.const 2)))))
            (if (i32.gt_s (local.get $e) (local.get $m)) (then (local.set $m (local.get $e))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $max)))
          (i32.store (i32.add (local.get $cellMaxR) (i32.shl (local.get $c) (i32.const 2))) (local.get $m)))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cells)))
    (call $addF (i32.const 2) (f64.convert_i32_u (local.get $newlyFinite)))
    (call $addF (i32.const 3) (local.get $sum))
    (call $addF (i32.const 4) (f64.convert_i32_u (local.get $area)))
    (call $addF (i32.const 5) (f64.convert_i32_u (local.get $tests)))
    (call $addF (i32.const 6) (f64.convert_i32_u (local.get $examined)))
    (call $addF (i32.const 7) (f64.convert_i32_u (local.get $changes))))
)
