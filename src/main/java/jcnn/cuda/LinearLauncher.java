package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Linear;
import jcnn.tensor.Shape;

/** kernels/linear.cu: y = x W^T + b as a GEMV per image, one warp per output feature. */
public final class LinearLauncher extends Launcher {
    private static final int WARPS = BLOCK / 32;
    private final Kernel gemv;
    private final KernelParams pLinear = params(Type.PTR, Type.I64, Type.PTR, Type.PTR, Type.PTR, Type.I64, Type.I32, Type.I32);

    public LinearLauncher(Device dev) {
        super(dev);
        gemv = dev.kernel("linear_f32_gemv");
    }

    /** Same arguments as {@link Linear#reference}: x is [N, in] or NCHW with C*H*W = in. */
    public void linear(Linear op, DeviceTensor x, DeviceTensor w, DeviceTensor b, DeviceTensor y) {
        notNull(op.kind(), "input", x);
        Shape o = op.outputShape(x.shape());
        shape(op.kind(), "weight", w, Shape.of(op.out(), op.in()));
        if (op.bias()) shape(op.kind(), "bias", b, Shape.of(op.out()));
        shape(op.kind(), "output", y, o);
        pLinear.ptr(0, x.ptr()).i64(1, x.batchStride()).ptr(2, w.ptr()).ptr(3, op.bias() ? b.ptr() : 0)
            .ptr(4, y.ptr()).i64(5, y.batchStride()).i32(6, op.in()).i32(7, op.out());
        dev.launch(gemv, Dim3.of(ceilDiv(op.out(), WARPS), o.n(), 1), Dim3.of(BLOCK), 0, pLinear);
    }
}
