package jcnn.cuda;

import java.lang.foreign.MemorySegment;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A float32 tensor in device memory: a device pointer, a logical shape and a batch stride, like
 * {@link Tensor}. Within one image the C*H*W elements are contiguous; images are
 * {@link #batchStride()} elements apart, more than C*H*W for a {@link #channelSlice} (DenseNet's
 * in-place concat, ShuffleNet's split), which is why every kernel takes a batch stride.
 *
 * <p>A tensor from {@link #allocate} owns its memory and frees it on {@link #close()}; views and
 * {@link #wrap}ped pointers never free anything.
 */
public final class DeviceTensor implements AutoCloseable {
    private final Device device;
    private final long ptr;
    private final Shape shape;
    private final long batchStride;
    private final boolean owned;
    private boolean closed;

    private DeviceTensor(Device device, long ptr, Shape shape, long batchStride, boolean owned) {
        this.device = device;
        this.ptr = ptr;
        this.shape = shape;
        this.batchStride = batchStride;
        this.owned = owned;
    }

    /** Allocates an uninitialised tensor (the emulator fills it with NaN bytes; a GPU with garbage). */
    public static DeviceTensor allocate(Device d, Shape s) {
        return new DeviceTensor(d, d.malloc(s.size() * Float.BYTES), s, s.size() / s.n(), true);
    }

    /** Allocates a tensor of {@code host}'s shape and copies {@code host} into it. */
    public static DeviceTensor upload(Device d, Tensor host) {
        DeviceTensor t = allocate(d, host.shape());
        try {
            t.copyFrom(host);
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** A non-owning view over device memory the caller manages (an arena slot of the executor). */
    public static DeviceTensor wrap(Device d, long ptr, Shape s, long batchStride) {
        if (batchStride < s.size() / s.n()) throw new IllegalArgumentException("batch stride " + batchStride + " < image size of " + s);
        return new DeviceTensor(d, ptr, s, batchStride, false);
    }

    public Device device() { return device; }
    /** Device address of element (0, 0, 0, 0). */
    public long ptr() { checkOpen(); return ptr; }
    public Shape shape() { return shape; }
    public long batchStride() { return batchStride; }
    public int n() { return shape.n(); }
    public int c() { return shape.c(); }
    public int h() { return shape.h(); }
    public int w() { return shape.w(); }
    /** Elements per image (C*H*W). */
    public long perImage() { return shape.size() / shape.n(); }

    /** Zero-copy view of channels [start, start+count): same batch stride, pointer moved to the slice. */
    public DeviceTensor channelSlice(int start, int count) {
        if (shape.rank() != 4) throw new IllegalArgumentException("channelSlice needs an NCHW tensor, got " + shape);
        if (start < 0 || count <= 0 || start + count > shape.c()) {
            throw new IllegalArgumentException("channel slice [" + start + ", " + (start + count) + ") is outside " + shape.c() + " channels of " + shape);
        }
        long hw = (long) shape.h() * shape.w();
        return new DeviceTensor(device, ptr() + start * hw * Float.BYTES, shape.withC(count), batchStride, false);
    }

    /** Same memory seen as another shape of the same size; needs a contiguous tensor (or batch 1). */
    public DeviceTensor reshape(Shape s) {
        if (s.size() != shape.size()) throw new IllegalArgumentException("cannot reshape " + shape + " to " + s);
        if (shape.n() > 1 && batchStride != perImage()) throw new IllegalArgumentException("cannot reshape non-contiguous view " + shape);
        if (s.n() != shape.n()) throw new IllegalArgumentException("reshape must keep the batch: " + shape + " -> " + s);
        return new DeviceTensor(device, ptr(), s, s.size() / s.n(), false);
    }

    /** Copies {@code host} (same shape; any batch strides on both sides) to this tensor. */
    public void copyFrom(Tensor host) {
        shape.require(host.shape(), "DeviceTensor.copyFrom");
        long per = perImage() * Float.BYTES;
        for (int b = 0; b < shape.n(); b++) {
            MemorySegment src = host.segment().asSlice(b * host.batchStride() * Float.BYTES, per);
            device.copyToDevice(ptr() + b * batchStride * Float.BYTES, src, per);
        }
    }

    /** Copies this tensor into {@code host} (same shape). */
    public void copyTo(Tensor host) {
        shape.require(host.shape(), "DeviceTensor.copyTo");
        long per = perImage() * Float.BYTES;
        for (int b = 0; b < shape.n(); b++) {
            MemorySegment dst = host.segment().asSlice(b * host.batchStride() * Float.BYTES, per);
            device.copyToHost(dst, ptr() + b * batchStride * Float.BYTES, per);
        }
    }

    /** A new host tensor holding a copy of this one. */
    public Tensor download() {
        Tensor t = Tensor.allocate(shape);
        copyTo(t);
        return t;
    }

    /** Sets every byte of every image to {@code value} (0xFF bytes read as NaN: the poison of tests). */
    public DeviceTensor fillBytes(int value) {
        for (int b = 0; b < shape.n(); b++) device.memset(ptr() + b * batchStride * Float.BYTES, value, perImage() * Float.BYTES);
        return this;
    }

    @Override
    public void close() {
        if (owned && !closed) device.free(ptr);
        closed = true;
    }

    private void checkOpen() { if (closed && owned) throw new IllegalStateException("device tensor " + shape + " is closed"); }

    @Override public String toString() { return "DeviceTensor" + shape + (owned ? "" : " view") + " on " + device.name(); }
}
