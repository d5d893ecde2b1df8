package jcnn.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * A float32 tensor with a logical NCHW shape, backed by a {@link MemorySegment}.
 *
 * <p>Memory: a tensor made by {@link #allocate(Shape)} owns a shared {@link Arena} and frees it on
 * {@link #close()}; one made with {@link #allocate(Shape, Arena)} lives as long as that arena; views
 * ({@link #channelSlice}, {@link #wrap}) never own memory and closing them is a no-op. Native
 * allocations are 64-byte aligned, counted by {@link NativeMemory}; a tensor larger than the machine's
 * memory is refused with IllegalArgumentException before anything is allocated.
 *
 * <p>Closed tensors: once its memory is freed (its own {@link #close()}, its arena's, or its parent's
 * for a view), every method that touches the elements ({@code get}, {@code set}, {@code fill},
 * {@code toArray}, {@code copyFrom}, {@code asFloatBuffer}, {@code segment}, {@code channelSlice},
 * {@code reshape}, and being passed to {@code copyFrom} or a model's {@code run}) throws
 * IllegalStateException naming the tensor. The shape accessors, {@link #isClosed()},
 * {@link #toString()} and the idempotent {@link #close()} stay usable. Null arguments throw
 * NullPointerException naming the argument.
 *
 * <p>Layout: within one image the C*H*W elements are contiguous (channel stride H*W, row stride W);
 * consecutive images are {@link #batchStride()} elements apart, which exceeds C*H*W for a channel
 * slice of a larger tensor. That is what lets a DenseNet layer write its k channels straight into
 * its block's buffer (concat in place) and a split read half the channels without a copy.
 *
 * <p>Thread-safety: a tensor is a view of memory with no internal state beyond its shape; concurrent
 * reads are safe, concurrent writes to the same elements are the caller's problem.
 */
public final class Tensor implements AutoCloseable {
    public static final long ALIGN = 64;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final MemorySegment seg;
    private final Shape shape;
    private final long batchStride;
    private final Arena owned; // non-null only for tensors that own their memory

    private Tensor(MemorySegment seg, Shape shape, long batchStride, Arena owned) {
        this.seg = seg;
        this.shape = shape;
        this.batchStride = batchStride;
        this.owned = owned;
    }

    /** Allocates a zeroed tensor that owns its memory; free it with {@link #close()}. */
    public static Tensor allocate(Shape shape) {
        NativeMemory.requireFits(bytes(Objects.requireNonNull(shape, "shape is null")), "tensor " + shape);
        Arena a = NativeMemory.ofShared();
        try {
            return new Tensor(a.allocate(bytes(shape), ALIGN), shape, perImage(shape), a);
        } catch (RuntimeException | Error e) {
            a.close();
            throw e;
        }
    }

    public static Tensor allocate(int... dims) { return allocate(Shape.of(dims)); }

    /** Allocates a zeroed tensor in the given arena (freed with that arena). */
    public static Tensor allocate(Shape shape, Arena arena) {
        NativeMemory.requireFits(bytes(Objects.requireNonNull(shape, "shape is null")), "tensor " + shape);
        Objects.requireNonNull(arena, "arena is null");
        return new Tensor(arena.allocate(bytes(shape), ALIGN), shape, perImage(shape), null);
    }

    /** Zero-copy: a tensor over an existing segment (native or heap), which must hold the shape. */
    public static Tensor wrap(MemorySegment seg, Shape shape) {
        Objects.requireNonNull(seg, "segment is null");
        Objects.requireNonNull(shape, "shape is null");
        if (seg.byteSize() < bytes(shape)) {
            throw new IllegalArgumentException("segment of " + seg.byteSize() + " bytes is too small for shape " + shape
                + " (" + bytes(shape) + " bytes)");
        }
        return new Tensor(seg.asSlice(0, bytes(shape)), shape, perImage(shape), null);
    }

    /** Zero-copy: a tensor over a Java array (heap memory: fine for the CPU, not for native backends). */
    public static Tensor wrap(float[] data, Shape shape) {
        Objects.requireNonNull(data, "array is null");
        Objects.requireNonNull(shape, "shape is null");
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("array of " + data.length + " floats does not fit shape " + shape);
        }
        return new Tensor(MemorySegment.ofArray(data), shape, perImage(shape), null);
    }

    /** Zero-copy for direct buffers and array-backed buffers; its position..limit must hold the shape. */
    public static Tensor wrap(FloatBuffer buf, Shape shape) {
        Objects.requireNonNull(buf, "buffer is null");
        Objects.requireNonNull(shape, "shape is null");
        if (buf.remaining() != shape.size()) {
            throw new IllegalArgumentException("buffer of " + buf.remaining() + " floats does not fit shape " + shape);
        }
        if (!buf.isDirect() && !buf.hasArray()) {
            throw new IllegalArgumentException("FloatBuffer is neither direct nor array-backed: copy it with copyOf");
        }
        if (buf.isDirect() && buf.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException("direct FloatBuffer must be in native byte order, got " + buf.order());
        }
        return new Tensor(MemorySegment.ofBuffer(buf), shape, perImage(shape), null);
    }

    /** Copies a Java array into a new native tensor that owns its memory. */
    public static Tensor copyOf(float[] data, Shape shape) {
        Objects.requireNonNull(data, "array is null");
        Objects.requireNonNull(shape, "shape is null");
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("array of " + data.length + " floats does not fit shape " + shape);
        }
        Tensor t = allocate(shape);
        MemorySegment.copy(data, 0, t.seg, F32, 0, data.length);
        return t;
    }

    private static long bytes(Shape s) { return s.size() * Float.BYTES; }
    private static long perImage(Shape s) { return s.size() / s.dim(0); }

    public Shape shape() { return shape; }
    public int n() { return shape.n(); }
    public int c() { return shape.c(); }
    public int h() { return shape.h(); }
    public int w() { return shape.w(); }
    /** Elements between image b and image b+1. */
    public long batchStride() { return batchStride; }
    /** True when all elements are contiguous (no gaps between images). */
    public boolean isContiguous() { return shape.n() == 1 || batchStride == shape.size() / shape.n(); }
    /** The backing memory (zero-copy). For a view this starts at its first element and spans to its last. */
    public MemorySegment segment() { requireOpen(); return seg; }
    public boolean ownsMemory() { return owned != null; }

    /**
     * Zero-copy view of channels [start, start+count) of every image. Writes through the view land in
     * this tensor. The view shares this tensor's lifetime.
     */
    public Tensor channelSlice(int start, int count) {
        requireOpen();
        if (shape.rank() != 4) throw new IllegalArgumentException("channelSlice needs an NCHW tensor, got " + shape);
        if (start < 0 || count <= 0 || start + count > shape.c()) {
            throw new IllegalArgumentException("channel slice [" + start + ", " + (start + count) + ") is outside "
                + shape.c() + " channels of " + shape);
        }
        long hw = (long) shape.h() * shape.w();
        long first = start * hw;
        long span = (long) (shape.n() - 1) * batchStride + count * hw;
        return new Tensor(seg.asSlice(first * Float.BYTES, span * Float.BYTES),
            Shape.nchw(shape.n(), count, shape.h(), shape.w()), batchStride, null);
    }

    /** Zero-copy view with another shape of the same size; needs a contiguous tensor. */
    public Tensor reshape(Shape s) {
        requireOpen();
        Objects.requireNonNull(s, "shape is null");
        if (s.size() != shape.size()) throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
        if (!isContiguous()) throw new IllegalArgumentException("cannot reshape non-contiguous view " + shape);
        return new Tensor(seg, s, s.size() / s.dim(0), null);
    }

    /** Offset (in elements) of (n, c, h, w). */
    public long offset(int n, int c, int h, int w) {
        return n * batchStride + ((long) c * shape.h() + h) * shape.w() + w;
    }

    public float get(long elementOffset) {
        try {
            return seg.getAtIndex(F32, elementOffset);
        } catch (IllegalStateException e) { // the segment's scope is closed: say which tensor
            throw closedError();
        }
    }

    public void set(long elementOffset, float v) {
        try {
            seg.setAtIndex(F32, elementOffset, v);
        } catch (IllegalStateException e) {
            throw closedError();
        }
    }
    public float get(int n, int c, int h, int w) { return get(offset(n, c, h, w)); }
    public void set(int n, int c, int h, int w, float v) { set(offset(n, c, h, w), v); }

    /** Fills every element of this tensor (or view). */
    public Tensor fill(float v) {
        requireOpen();
        long per = shape.size() / shape.n();
        for (int b = 0; b < shape.n(); b++) {
            if (v == 0f) seg.asSlice(b * batchStride * Float.BYTES, per * Float.BYTES).fill((byte) 0);
            else for (long i = 0; i < per; i++) set(b * batchStride + i, v);
        }
        return this;
    }

    /** Copies the elements out, in logical NCHW order. */
    public float[] toArray() {
        requireOpen();
        if (shape.size() > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("tensor " + shape + " is too large for one float[]");
        float[] out = new float[(int) shape.size()];
        long per = shape.size() / shape.n();
        for (int b = 0; b < shape.n(); b++) {
            MemorySegment.copy(seg, F32, b * batchStride * Float.BYTES, out, (int) (b * per), (int) per);
        }
        return out;
    }

    /** Copies {@code src} (same shape) into this tensor. */
    public void copyFrom(Tensor src) {
        Objects.requireNonNull(src, "source tensor is null");
        requireOpen();
        src.requireOpen();
        shape.require(src.shape, "copyFrom");
        long per = shape.size() / shape.n();
        for (int b = 0; b < shape.n(); b++) {
            MemorySegment.copy(src.seg, b * src.batchStride * Float.BYTES, seg, b * batchStride * Float.BYTES, per * Float.BYTES);
        }
    }

    public void copyFrom(float[] src) {
        Objects.requireNonNull(src, "source array is null");
        requireOpen();
        if (src.length != shape.size()) throw new IllegalArgumentException("array of " + src.length + " floats does not fit " + shape);
        long per = shape.size() / shape.n();
        for (int b = 0; b < shape.n(); b++) {
            MemorySegment.copy(src, (int) (b * per), seg, F32, b * batchStride * Float.BYTES, (int) per);
        }
    }

    /** Zero-copy FloatBuffer over a contiguous tensor (native order). */
    public FloatBuffer asFloatBuffer() {
        requireOpen();
        if (!isContiguous()) throw new IllegalArgumentException("asFloatBuffer needs a contiguous tensor, got a view of " + shape);
        return seg.asByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Frees the memory if this tensor owns it; idempotent. Views and wrapped tensors do nothing. */
    @Override
    public void close() {
        if (owned != null && owned.scope().isAlive()) owned.close();
    }

    /** True once the backing memory is no longer accessible. */
    public boolean isClosed() { return !seg.scope().isAlive(); }

    /** Throws IllegalStateException naming this tensor when its memory is freed; allocates nothing while open. */
    public void requireOpen() {
        if (!seg.scope().isAlive()) throw closedError();
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("tensor " + shape + " is closed (its memory was freed)");
    }

    @Override public String toString() { return "Tensor" + shape + (owned != null ? "" : " view"); }
}
