package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** Max pooling, square window; floor or ceil mode (PyTorch's rule); padding never wins the max. */
public record MaxPool(int kernel, int stride, int pad, boolean ceil) implements Op {
    public MaxPool {
        Check.positive("maxpool", "kernel", kernel);
        Check.positive("maxpool", "stride", stride);
        Check.nonNegative("maxpool", "padding", pad);
        if (2 * pad > kernel) throw new IllegalArgumentException("maxpool: padding " + pad + " exceeds half the kernel " + kernel);
    }

    @Override public String kind() { return "maxpool"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.rank4(kind(), in[0]);
        return Shape.nchw(in[0].n(), in[0].c(),
            Check.windowOut(kind(), in[0].h(), kernel, stride, pad, ceil),
            Check.windowOut(kind(), in[0].w(), kernel, stride, pad, ceil));
    }

    public void reference(Tensor in, Tensor out) {
        Check.notNull(kind(), "input", in);
        Check.shape(kind(), "output", out, outputShape(in.shape()));
        for (int n = 0; n < in.n(); n++)
            for (int c = 0; c < in.c(); c++)
                for (int oy = 0; oy < out.h(); oy++)
                    for (int ox = 0; ox < out.w(); ox++) {
                        float m = Float.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < kernel; ky++) {
                            int iy = oy * stride - pad + ky;
                            if (iy < 0 || iy >= in.h()) continue;
                            for (int kx = 0; kx < kernel; kx++) {
                                int ix = ox * stride - pad + kx;
                                if (ix < 0 || ix >= in.w()) continue;
                                m = Math.max(m, in.get(n, c, iy, ix));
                            }
                        }
                        out.set(n, c, oy, ox, m);
                    }
    }
}
