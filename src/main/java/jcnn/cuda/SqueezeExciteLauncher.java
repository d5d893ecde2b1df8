package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.SqueezeExcite;
import jcnn.tensor.Shape;

/** kernels/squeeze_excite.cu: squeeze-and-excitation, one 256-thread block per image. */
public final class SqueezeExciteLauncher extends Launcher {
    /** The kernel keeps C + R floats in shared memory; 48 KiB is the default limit. */
    static final int MAX_SHARED = 48 * 1024;
    private final Kernel block;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.I64,
        Type.I32, Type.I32, Type.I32);

    public SqueezeExciteLauncher(Device dev) {
        super(dev);
        block = dev.kernel("squeeze_excite_f32_block");
    }

    /** Same arguments as {@link SqueezeExcite#reference}; y may be x. */
    public void squeezeExcite(SqueezeExcite op, DeviceTensor x, DeviceTensor w1, DeviceTensor b1, DeviceTensor w2,
                              DeviceTensor b2, DeviceTensor y) {
        notNull(op.kind(), "input", x);
        Shape o = op.outputShape(x.shape());
        shape(op.kind(), "fc1.weight", w1, Shape.nchw(op.reduced(), op.channels(), 1, 1));
        shape(op.kind(), "fc1.bias", b1, Shape.of(op.reduced()));
        shape(op.kind(), "fc2.weight", w2, Shape.nchw(op.channels(), op.reduced(), 1, 1));
        shape(op.kind(), "fc2.bias", b2, Shape.of(op.channels()));
        shape(op.kind(), "output", y, o);
        int shared = 4 * (op.channels() + op.reduced());
        if (shared > MAX_SHARED) {
            throw new IllegalArgumentException(op.kind() + ": " + op.channels() + " + " + op.reduced() + " channels need "
                + shared + " bytes of shared memory, over " + MAX_SHARED);
        }
        p.ptr(0, x.ptr()).i64(1, x.batchStride()).ptr(2, w1.ptr()).ptr(3, b1.ptr()).ptr(4, w2.ptr()).ptr(5, b2.ptr())
            .ptr(6, y.ptr()).i64(7, y.batchStride()).i32(8, op.channels()).i32(9, op.reduced()).i32(10, x.h() * x.w());
        dev.launch(block, Dim3.of(x.n()), Dim3.of(BLOCK), shared, p);
    }
}
