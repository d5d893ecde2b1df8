package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Concat;
import jcnn.ops.Slice;
import jcnn.tensor.Shape;

/**
 * kernels/concat.cu: concat (one strided copy per input into its channel slice of the output) and
 * slice (one copy out of a channel slice of the input). float4 copies when every offset allows it.
 */
public final class ConcatLauncher extends Launcher {
    private final Kernel copy, copy4;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32, Type.I32);

    public ConcatLauncher(Device dev) {
        super(dev);
        copy = dev.kernel("concat_f32_copy");
        copy4 = dev.kernel("concat_f32_copy4");
    }

    public void concat(Concat op, DeviceTensor[] in, DeviceTensor out) {
        notNull(op.kind(), "inputs", in);
        Shape[] shapes = new Shape[in.length];
        for (int i = 0; i < in.length; i++) { notNull(op.kind(), "input " + i, in[i]); shapes[i] = in[i].shape(); }
        shape(op.kind(), "output", out, op.outputShape(shapes));
        int c0 = 0;
        for (DeviceTensor t : in) {
            copy(t, out.channelSlice(c0, t.c()));
            c0 += t.c();
        }
    }

    public void slice(Slice op, DeviceTensor in, DeviceTensor out) {
        notNull(op.kind(), "input", in);
        shape(op.kind(), "output", out, op.outputShape(in.shape()));
        copy(in.channelSlice(op.start(), op.count()), out);
    }

    /** Copies {@code src} to {@code dst} (same NCHW shape, any batch strides). */
    public void copy(DeviceTensor src, DeviceTensor dst) {
        shape("copy", "destination", dst, src.shape());
        int hw = src.h() * src.w();
        boolean vec = hw % 4 == 0 && src.batchStride() % 4 == 0 && dst.batchStride() % 4 == 0
            && src.ptr() % 16 == 0 && dst.ptr() % 16 == 0;
        int per = vec ? hw / 4 : hw;
        p.ptr(0, src.ptr()).i64(1, src.batchStride()).ptr(2, dst.ptr()).i64(3, dst.batchStride()).i32(4, src.c()).i32(5, per);
        dev.launch(vec ? copy4 : copy, Dim3.of(ceilDiv(per, BLOCK), src.c(), src.n()), Dim3.of(BLOCK), 0, p);
    }
}
