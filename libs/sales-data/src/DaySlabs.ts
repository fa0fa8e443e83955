/**
 * Day arrays of new products carved out of a few large buffers ("slabs", {@link SLAB_BYTES} each)
 * instead of one small buffer per product: a buffer of its own costs a product an ArrayBuffer
 * object on the V8 heap, a backing-store record and a separately allocated block of about 730
 * bytes, and many such blocks freed between long-lived ones leave the allocator's heap
 * fragmented. A slab stays allocated while any view into it is alive (a series handed over
 * without a copy keeps its slab), so only arrays expected to live until the series are built come
 * from here: a product's first, span-sized array (see `stateFor`), not its grown or widened ones.
 */
export class DaySlabs {
  private slab: ArrayBuffer | undefined;
  private used = 0;

  constructor(private readonly slabBytes = SLAB_BYTES) {}

  /** `cells` zeroed bytes, from the current slab or, when it is too full, a new one. */
  take(cells: number): Uint8Array {
    if (this.slab === undefined || this.used + cells > this.slab.byteLength) {
      this.slab = new ArrayBuffer(Math.max(this.slabBytes, cells));
      this.used = 0;
    }
    const view = new Uint8Array(this.slab, this.used, cells);
    this.used += cells;
    return view;
  }
}

/** Bytes per slab: 4 MiB, the first-day arrays of about 5,700 products with 730-day histories. */
export const SLAB_BYTES = 4 * 1024 * 1024;

/** True when `values` is a view into a larger buffer (a slab), not the whole of its own. */
export function isSlabView(values: ArrayBufferView): boolean {
  return values.byteOffset !== 0 || values.byteLength !== values.buffer.byteLength;
}
