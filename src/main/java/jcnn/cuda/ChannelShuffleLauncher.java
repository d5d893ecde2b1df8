package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.ChannelShuffle;
import jcnn.tensor.Shape;

/** kernels/channel_shuffle.cu: out[j] = in[(j mod g)*(C/g) + j/g]; input and output must not overlap. */
public final class ChannelShuffleLauncher extends Launcher {
    private final Kernel nchw;
    private final KernelParams p = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32, Type.I32, Type.I32);

    public ChannelShuffleLauncher(Device dev) {
        super(dev);
        nchw = dev.kernel("channel_shuffle_f32_nchw");
    }

    public void shuffle(ChannelShuffle op, DeviceTensor in, DeviceTensor out) {
        notNull(op.kind(), "input", in);
        Shape o = op.outputShape(in.shape());
        shape(op.kind(), "output", out, o);
        int hw = o.h() * o.w();
        p.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, out.ptr()).i64(3, out.batchStride())
            .i32(4, o.c()).i32(5, hw).i32(6, op.groups());
        dev.launch(nchw, Dim3.of(ceilDiv(hw, BLOCK), o.c(), o.n()), Dim3.of(BLOCK), 0, p);
    }
}
