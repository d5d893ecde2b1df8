package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.ChannelAffine;
import jcnn.tensor.Shape;

/** kernels/bn_relu.cu: y = act(x*scale[c] + shift[c]) (jcnn.ops.ChannelAffine); in place allowed. */
public final class BnReluLauncher extends Launcher {
    private final Kernel nchw;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.PTR, Type.PTR, Type.I64, Type.I32, Type.I32, Type.I32);

    public BnReluLauncher(Device dev) {
        super(dev);
        nchw = dev.kernel("bn_relu_f32_nchw");
    }

    public void channelAffine(ChannelAffine op, DeviceTensor in, DeviceTensor scale, DeviceTensor shift, DeviceTensor out) {
        notNull(op.kind(), "input", in);
        Shape o = op.outputShape(in.shape());
        shape(op.kind(), "scale", scale, Shape.of(op.channels()));
        shape(op.kind(), "shift", shift, Shape.of(op.channels()));
        shape(op.kind(), "output", out, o);
        int hw = o.h() * o.w();
        p.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, scale.ptr()).ptr(3, shift.ptr())
            .ptr(4, out.ptr()).i64(5, out.batchStride()).i32(6, o.c()).i32(7, hw).i32(8, op.act().ordinal());
        dev.launch(nchw, Dim3.of(ceilDiv(hw, BLOCK), o.c(), o.n()), Dim3.of(BLOCK), 0, p);
    }
}
