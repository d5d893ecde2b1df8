package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;

/**
 * kernels/conv_pointwise.cu: 1x1 convs (pad 0, any stride, any groups) as a 64x64-tiled GEMM per
 * image and group, with the fused epilogue (bias, residual, activation) and the optional DenseNet
 * prologue relu(x*scale + shift).
 */
public final class ConvPointwiseLauncher extends Launcher {
    public static final int TILE = 64;
    private final Kernel tile64;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.I64,
        Type.PTR, Type.I64, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32);

    public ConvPointwiseLauncher(Device dev) {
        super(dev);
        tile64 = dev.kernel("conv_pointwise_f32_tile64");
    }

    public static boolean supports(Conv2d op) { return op.kernel() == 1 && op.pad() == 0; }

    public void conv2d(Conv2d op, DeviceTensor in, DeviceTensor w, DeviceTensor b, DeviceTensor res,
                       DeviceTensor inScale, DeviceTensor inShift, DeviceTensor out) {
        if (!supports(op)) throw new IllegalArgumentException("conv_pointwise: not a 1x1 conv without padding: " + op);
        Shape o = checkConv(op, in, w, b, res, inScale, inShift, out);
        int g = op.groups();
        if ((long) o.n() * g > 65535) throw new IllegalArgumentException("conv_pointwise: batch*groups " + (long) o.n() * g + " > 65535");
        p.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, w.ptr())
            .ptr(3, op.bias() ? b.ptr() : 0).ptr(4, op.inputBnRelu() ? inScale.ptr() : 0).ptr(5, op.inputBnRelu() ? inShift.ptr() : 0)
            .ptr(6, op.residual() ? res.ptr() : 0).i64(7, op.residual() ? res.batchStride() : 0)
            .ptr(8, out.ptr()).i64(9, out.batchStride())
            .i32(10, op.inC()).i32(11, in.h()).i32(12, in.w()).i32(13, op.outC()).i32(14, o.h()).i32(15, o.w())
            .i32(16, op.stride()).i32(17, g).i32(18, op.act().ordinal());
        dev.launch(tile64, Dim3.of(ceilDiv((long) o.h() * o.w(), TILE), ceilDiv(op.outC() / g, TILE), o.n() * g),
            Dim3.of(BLOCK), 0, p);
    }
}
