package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Softmax;

/** kernels/softmax.cu: softmax over each image's features, one 256-thread block per image. */
public final class SoftmaxLauncher extends Launcher {
    private final Kernel block;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32);

    public SoftmaxLauncher(Device dev) {
        super(dev);
        block = dev.kernel("softmax_f32_block");
    }

    public void softmax(Softmax op, DeviceTensor x, DeviceTensor y) {
        notNull(op.kind(), "input", x);
        shape(op.kind(), "output", y, op.outputShape(x.shape()));
        p.ptr(0, x.ptr()).i64(1, x.batchStride()).ptr(2, y.ptr()).i64(3, y.batchStride()).i32(4, Math.toIntExact(x.perImage()));
        dev.launch(block, Dim3.of(x.n()), Dim3.of(BLOCK), 0, p);
    }
}
