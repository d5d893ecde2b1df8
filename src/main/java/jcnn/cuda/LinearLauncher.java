package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Linear;
import jcnn.ops.Softmax;
import jcnn.tensor.Shape;

/** kernels/linear.cu (GEMV, one warp per output feature) and kernels/softmax.cu (one block per image): the head. */
public final class LinearLauncher extends Launcher {
    private static final int WARPS = BLOCK / 32;
    private final Kernel gemv, softmax;
    private final KernelParams pLinear = params(Type.PTR, Type.I64, Type.PTR, Type.PTR, Type.PTR, Type.I64, Type.I32, Type.I32);
    private final KernelParams pSoftmax = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32);

    public LinearLauncher(Device dev) {
        super(dev);
        gemv = dev.kernel("linear_f32_gemv");
        softmax = dev.kernel("softmax_f32_block");
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

    public void softmax(Softmax op, DeviceTensor x, DeviceTensor y) {
        notNull(op.kind(), "input", x);
        shape(op.kind(), "output", y, op.outputShape(x.shape()));
        pSoftmax.ptr(0, x.ptr()).i64(1, x.batchStride()).ptr(2, y.ptr()).i64(3, y.batchStride()).i32(4, Math.toIntExact(x.perImage()));
        dev.launch(softmax, Dim3.of(x.n()), Dim3.of(BLOCK), 0, pSoftmax);
    }
}
