package jcnn.cuda;

import java.lang.foreign.Arena;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;

/**
 * What every kernel-family launcher shares: the device, an arena for its {@link KernelParams}
 * (one per launch site, allocated once), and the checks that mirror the ops' checkArgs for
 * {@link DeviceTensor}s. Subclasses hold the grid/block math and the argument order of their .cu.
 * A launcher is used by one thread at a time (its parameter blocks are rewritten per launch).
 */
public abstract class Launcher implements AutoCloseable {
    /** Threads per block of the elementwise-style kernels; every .cu says which it uses. */
    public static final int BLOCK = 256;

    protected final Device dev;
    private final Arena arena = Arena.ofShared();

    protected Launcher(Device dev) {
        if (dev == null) throw new IllegalArgumentException("device is null");
        this.dev = dev;
    }

    public Device device() { return dev; }

    protected final KernelParams params(KernelParams.Type... types) { return new KernelParams(arena, types); }

    protected static int ceilDiv(long a, int b) { return Math.toIntExact((a + b - 1) / b); }

    /** Device pointer of an optional argument (0 = nullptr). */
    protected static long ptr(DeviceTensor t) { return t == null ? 0 : t.ptr(); }

    protected static void shape(String op, String what, DeviceTensor t, Shape expected) {
        if (t == null) throw new IllegalArgumentException(op + ": " + what + " is null, expected shape " + expected);
        if (!t.shape().equals(expected)) throw new IllegalArgumentException(op + ": " + what + " has shape " + t.shape() + ", expected " + expected);
    }

    protected static void notNull(String op, String what, Object o) {
        if (o == null) throw new IllegalArgumentException(op + ": " + what + " is null");
    }

    /** Parameters are contiguous vectors/filters: a view with a batch stride would be misread. */
    protected static void dense(String op, String what, DeviceTensor t) {
        if (t != null && t.n() > 1 && t.batchStride() != t.perImage()) throw new IllegalArgumentException(op + ": " + what + " must be contiguous");
    }

    /** Conv2d.checkArgs for device tensors: same rules, same messages. */
    protected static Shape checkConv(Conv2d op, DeviceTensor in, DeviceTensor w, DeviceTensor b, DeviceTensor res,
                                     DeviceTensor inScale, DeviceTensor inShift, DeviceTensor out) {
        String k = op.kind();
        notNull(k, "input", in);
        if (op.residual()) notNull(k, "residual", res);
        Shape o = op.residual() ? op.outputShape(in.shape(), res.shape()) : op.outputShape(in.shape());
        shape(k, "weight", w, op.weightShape());
        dense(k, "weight", w);
        if (op.bias()) shape(k, "bias", b, Shape.of(op.outC()));
        if (op.inputBnRelu()) {
            shape(k, "input scale", inScale, Shape.of(op.inC()));
            shape(k, "input shift", inShift, Shape.of(op.inC()));
        }
        shape(k, "output", out, o);
        return o;
    }

    @Override public void close() { arena.close(); }
}
