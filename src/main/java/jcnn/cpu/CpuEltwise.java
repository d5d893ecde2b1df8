package jcnn.cpu;

import java.lang.foreign.MemorySegment;
import jcnn.ops.Activation;
import jcnn.tensor.Tensor;

/**
 * Per-element ops over NCHW planes: channel affine (fused BN-ReLU), add(+act), act. Work: the N*C
 * planes are cut into at most 4 chunks per thread; each plane is a contiguous run of H*W floats
 * (views only change where a plane starts), processed in vectors with a masked tail.
 * One instance per call (a few fields); the executor can keep one per node and reuse it.
 */
final class CpuEltwise implements CpuPool.Task {
    enum Kind { AFFINE, ADD, ACT }

    private final Kind kind;
    private final Activation act;
    private MemorySegment a, b, o;
    private long aBS, bBS, oBS;
    private float[] scale, shift;
    private int C, HW, planes, chunks;

    CpuEltwise(Kind kind, Activation act) { this.kind = kind; this.act = act; }

    void set(Tensor x, Tensor y, float[] scale, float[] shift, Tensor out) {
        a = x.segment(); aBS = x.batchStride();
        b = y == null ? null : y.segment(); bBS = y == null ? 0 : y.batchStride();
        o = out.segment(); oBS = out.batchStride();
        this.scale = scale; this.shift = shift;
        C = x.c();
        HW = (int) (x.shape().size() / x.n() / C);
        planes = x.n() * C;
    }

    void run(CpuPool pool) {
        long elems = (long) planes * HW;
        chunks = elems < 32768 ? 1 : Math.min(planes, 4 * pool.size());
        pool.run(this, chunks);
        a = b = o = null;
    }

    @Override
    public void run(int item, int worker) {
        int p0 = (int) ((long) item * planes / chunks), p1 = (int) ((long) (item + 1) * planes / chunks);
        for (int p = p0; p < p1; p++) {
            int n = p / C, c = p % C;
            long ao = n * aBS + (long) c * HW, bo = n * bBS + (long) c * HW, oo = n * oBS + (long) c * HW;
            int i = 0;
            switch (kind) {
                case AFFINE -> {
                    float s = scale[c], t = shift[c];
                    for (; i <= HW - Vec.L; i += Vec.L) Vec.store(Vec.act(Vec.load(a, ao + i).fma(s, t), act), o, oo + i);
                    // scalar tail: a variable-range mask is not scalar-replaced by C2 once the profile is
                    // polluted (DenseNet's 1x1 maps allocated ~200 B per plane), and Math.fma is the vector's fma
                    for (; i < HW; i++) o.setAtIndex(Vec.F, oo + i, act.apply(Math.fma(a.getAtIndex(Vec.F, ao + i), s, t)));
                }
                case ADD -> {
                    for (; i <= HW - Vec.L; i += Vec.L) Vec.store(Vec.act(Vec.load(a, ao + i).add(Vec.load(b, bo + i)), act), o, oo + i);
                    for (; i < HW; i++) o.setAtIndex(Vec.F, oo + i, act.apply(a.getAtIndex(Vec.F, ao + i) + b.getAtIndex(Vec.F, bo + i)));
                }
                case ACT -> {
                    for (; i <= HW - Vec.L; i += Vec.L) Vec.store(Vec.act(Vec.load(a, ao + i), act), o, oo + i);
                    for (; i < HW; i++) o.setAtIndex(Vec.F, oo + i, act.apply(a.getAtIndex(Vec.F, ao + i)));
                }
            }
        }
    }

}
