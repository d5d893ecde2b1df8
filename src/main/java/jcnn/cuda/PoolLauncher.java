package jcnn.cuda;

import jcnn.cuda.Device.Dim3;
import jcnn.cuda.Device.Kernel;
import jcnn.cuda.KernelParams.Type;
import jcnn.ops.AvgPool;
import jcnn.ops.GlobalAvgPool;
import jcnn.ops.MaxPool;
import jcnn.tensor.Shape;

/** kernels/pool.cu: max (floor/ceil: the op computes the output size), avg (AvgPool's divisor), global avg. */
public final class PoolLauncher extends Launcher {
    private static final int WARPS = BLOCK / 32;
    private final Kernel max, avg, global;
    private final KernelParams pMax = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32, Type.I32, Type.I32, Type.I32,
        Type.I32, Type.I32, Type.I32, Type.I32);
    private final KernelParams pAvg = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32, Type.I32, Type.I32, Type.I32,
        Type.I32, Type.I32, Type.I32, Type.I32, Type.I32);
    private final KernelParams pGlobal = params(Type.PTR, Type.I64, Type.PTR, Type.I64, Type.I32, Type.I32);

    public PoolLauncher(Device dev) {
        super(dev);
        max = dev.kernel("pool_f32_max");
        avg = dev.kernel("pool_f32_avg");
        global = dev.kernel("pool_f32_global_avg");
    }

    public void maxPool(MaxPool op, DeviceTensor in, DeviceTensor out) {
        notNull(op.kind(), "input", in);
        Shape o = op.outputShape(in.shape());
        shape(op.kind(), "output", out, o);
        window(pMax, in, out, o, op.kernel(), op.stride(), op.pad());
        dev.launch(max, Dim3.of(ceilDiv((long) o.h() * o.w(), BLOCK), o.c(), o.n()), Dim3.of(BLOCK), 0, pMax);
    }

    public void avgPool(AvgPool op, DeviceTensor in, DeviceTensor out) {
        notNull(op.kind(), "input", in);
        Shape o = op.outputShape(in.shape());
        shape(op.kind(), "output", out, o);
        window(pAvg, in, out, o, op.kernel(), op.stride(), op.pad());
        pAvg.i32(12, op.countPad() ? 1 : 0);
        dev.launch(avg, Dim3.of(ceilDiv((long) o.h() * o.w(), BLOCK), o.c(), o.n()), Dim3.of(BLOCK), 0, pAvg);
    }

    public void globalAvgPool(GlobalAvgPool op, DeviceTensor in, DeviceTensor out) {
        notNull(op.kind(), "input", in);
        Shape o = op.outputShape(in.shape());
        shape(op.kind(), "output", out, o);
        pGlobal.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, out.ptr()).i64(3, out.batchStride())
            .i32(4, in.c()).i32(5, in.h() * in.w());
        dev.launch(global, Dim3.of(ceilDiv(in.c(), WARPS), in.n(), 1), Dim3.of(BLOCK), 0, pGlobal);
    }

    private static void window(KernelParams p, DeviceTensor in, DeviceTensor out, Shape o, int k, int s, int pad) {
        p.ptr(0, in.ptr()).i64(1, in.batchStride()).ptr(2, out.ptr()).i64(3, out.batchStride())
            .i32(4, in.c()).i32(5, in.h()).i32(6, in.w()).i32(7, o.h()).i32(8, o.w()).i32(9, k).i32(10, s).i32(11, pad);
    }
}
