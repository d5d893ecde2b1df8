package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;

/** kernels/conv_depthwise.cu: groups = inC = outC; 3x3 stride 1/2 specialised, any other k/stride generic. */
public final class ConvDepthwiseLauncher extends Launcher {
    private final Kernel s1, s2, generic;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.I64,
        Type.PTR, Type.I64, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32);

    public ConvDepthwiseLauncher(Device dev) {
        super(dev);
        s1 = dev.kernel("conv_depthwise_f32_3x3s1");
        s2 = dev.kernel("conv_depthwise_f32_3x3s2");
        generic = dev.kernel("conv_depthwise_f32_generic");
    }

    public static boolean supports(Conv2d op) { return op.isDepthwise(); }

    /** The kernel this op runs on (for tests and reports). */
    public String variant(Conv2d op) { return pick(op).name(); }

    private Kernel pick(Conv2d op) {
        if (op.kernel() == 3 && op.stride() == 1) return s1;
        if (op.kernel() == 3 && op.stride() == 2) return s2;
        return generic;
    }

    /** Same arguments as {@link Conv2d#reference}; optional ones may be null unless the op uses them. */
    public void conv2d(Conv2d op, DeviceTensor in, DeviceTensor w, DeviceTensor b, DeviceTensor res,
                       DeviceTensor inScale, DeviceTensor inShift, DeviceTensor out) {
        if (!supports(op)) throw new IllegalArgumentException("conv_depthwise: not a depthwise conv: " + op);
        Shape o = checkConv(op, in, w, b, res, inScale, inShift, out);
        p.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, w.ptr())
            .ptr(3, op.bias() ? b.ptr() : 0).ptr(4, op.inputBnRelu() ? inScale.ptr() : 0).ptr(5, op.inputBnRelu() ? inShift.ptr() : 0)
            .ptr(6, op.residual() ? res.ptr() : 0).i64(7, op.residual() ? res.batchStride() : 0)
            .ptr(8, out.ptr()).i64(9, out.batchStride())
            .i32(10, op.inC()).i32(11, in.h()).i32(12, in.w()).i32(13, o.h()).i32(14, o.w())
            .i32(15, op.kernel()).i32(16, op.stride()).i32(17, op.pad()).i32(18, op.act().ordinal());
        dev.launch(pick(op), Dim3.of(ceilDiv((long) o.h() * o.w(), BLOCK), op.outC(), o.n()), Dim3.of(BLOCK), 0, p);
    }
}
