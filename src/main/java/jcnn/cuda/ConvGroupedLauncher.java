package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;

/**
 * kernels/conv_grouped.cu: direct conv for any groups (1 = dense), k, stride, pad: the stems, ResNeXt's
 * g=32 3x3, DenseNet's 3x3 128->32, SqueezeNet's 3x3 expand. One output channel per block; its
 * (inC/groups)*k*k weights go to dynamic shared memory, which must stay within 48 KiB.
 */
public final class ConvGroupedLauncher extends Launcher {
    public static final int MAX_SHARED = 48 * 1024;
    private final Kernel k3, generic;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.PTR, Type.I64,
        Type.PTR, Type.I64, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32, Type.I32,
        Type.I32, Type.I32);

    public ConvGroupedLauncher(Device dev) {
        super(dev);
        k3 = dev.kernel("conv_grouped_f32_k3");
        generic = dev.kernel("conv_grouped_f32_generic");
    }

    static int sharedBytes(Conv2d op) { return (op.inC() / op.groups()) * op.kernel() * op.kernel() * Float.BYTES; }

    public static boolean supports(Conv2d op) { return sharedBytes(op) <= MAX_SHARED; }

    public String variant(Conv2d op) { return (op.kernel() == 3 ? k3 : generic).name(); }

    public void conv2d(Conv2d op, DeviceTensor in, DeviceTensor w, DeviceTensor b, DeviceTensor res,
                       DeviceTensor inScale, DeviceTensor inShift, DeviceTensor out) {
        if (!supports(op)) {
            throw new IllegalArgumentException("conv_grouped: " + sharedBytes(op) + " bytes of weights per output channel exceed "
                + MAX_SHARED + " of shared memory: " + op);
        }
        Shape o = checkConv(op, in, w, b, res, inScale, inShift, out);
        p.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, w.ptr())
            .ptr(3, op.bias() ? b.ptr() : 0).ptr(4, op.inputBnRelu() ? inScale.ptr() : 0).ptr(5, op.inputBnRelu() ? inShift.ptr() : 0)
            .ptr(6, op.residual() ? res.ptr() : 0).i64(7, op.residual() ? res.batchStride() : 0)
            .ptr(8, out.ptr()).i64(9, out.batchStride())
            .i32(10, op.inC()).i32(11, in.h()).i32(12, in.w()).i32(13, op.outC()).i32(14, o.h()).i32(15, o.w())
            .i32(16, op.kernel()).i32(17, op.stride()).i32(18, op.pad()).i32(19, op.groups()).i32(20, op.act().ordinal());
        dev.launch(op.kernel() == 3 ? k3 : generic, Dim3.of(ceilDiv((long) o.h() * o.w(), BLOCK), op.outC(), o.n()),
            Dim3.of(BLOCK), sharedBytes(op), p);
    }
}
