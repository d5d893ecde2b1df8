package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.Act;
import jcnn.ops.Add;
import jcnn.tensor.Shape;

/** kernels/eltwise.cu: y = act(a + b) and y = act(x), per image (batch strides), in place allowed. */
public final class EltwiseLauncher extends Launcher {
    private final Kernel add, act;
    private final KernelParams pAdd = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32, Type.I32);
    private final KernelParams pAct = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32, Type.I32);

    public EltwiseLauncher(Device dev) {
        super(dev);
        add = dev.kernel("eltwise_f32_add");
        act = dev.kernel("eltwise_f32_act");
    }

    public void add(Add op, DeviceTensor a, DeviceTensor b, DeviceTensor out) {
        notNull(op.kind(), "first input", a);
        notNull(op.kind(), "second input", b);
        Shape o = op.outputShape(a.shape(), b.shape());
        shape(op.kind(), "output", out, o);
        int per = Math.toIntExact(a.perImage());
        pAdd.ptr(0, a.ptr()).i64(1, a.batchStride()).ptr(2, b.ptr()).i64(3, b.batchStride())
            .ptr(4, out.ptr()).i64(5, out.batchStride()).i32(6, per).i32(7, op.act().ordinal());
        dev.launch(add, Dim3.of(ceilDiv(per, BLOCK), o.n(), 1), Dim3.of(BLOCK), 0, pAdd);
    }

    public void act(Act op, DeviceTensor in, DeviceTensor out) {
        notNull(op.kind(), "input", in);
        shape(op.kind(), "output", out, op.outputShape(in.shape()));
        int per = Math.toIntExact(in.perImage());
        pAct.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, out.ptr()).i64(3, out.batchStride())
            .i32(4, per).i32(5, op.act().ordinal());
        dev.launch(act, Dim3.of(ceilDiv(per, BLOCK), in.n(), 1), Dim3.of(BLOCK), 0, pAct);
    }
}
