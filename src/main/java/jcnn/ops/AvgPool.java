package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Average pooling, square window. With {@code countPad} the divisor counts padded positions inside
 * [-pad, size+pad) (PyTorch's count_include_pad, as ShuffleNet v1's shortcut needs); without it only
 * real input elements are counted.
 */
public record AvgPool(int kernel, int stride, int pad, boolean ceil, boolean countPad) implements Op {
    public AvgPool {
        Check.positive("avgpool", "kernel", kernel);
        Check.positive("avgpool", "stride", stride);
        Check.nonNegative("avgpool", "padding", pad);
        if (2 * pad > kernel) throw new IllegalArgumentException("avgpool: padding " + pad + " exceeds half the kernel " + kernel);
    }

    @Override public String kind() { return "avgpool"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.rank4(kind(), in[0]);
        return Shape.nchw(in[0].n(), in[0].c(),
            Check.windowOut(kind(), in[0].h(), kernel, stride, pad, ceil),
            Check.windowOut(kind(), in[0].w(), kernel, stride, pad, ceil));
    }

    /** The divisor of the window that starts at (y0, x0) (which may be negative), PyTorch's rule. */
    public int divisor(int y0, int x0, int H, int W) {
        if (countPad) {
            int ye = Math.min(y0 + kernel, H + pad), xe = Math.min(x0 + kernel, W + pad);
            return (ye - y0) * (xe - x0);
        }
        int ys = Math.max(y0, 0), xs = Math.max(x0, 0);
        int ye = Math.min(y0 + kernel, H), xe = Math.min(x0 + kernel, W);
        return (ye - ys) * (xe - xs);
    }

    public void reference(Tensor in, Tensor out) {
        Check.notNull(kind(), "input", in);
        Check.shape(kind(), "output", out, outputShape(in.shape()));
        int H = in.h(), W = in.w();
        for (int n = 0; n < in.n(); n++)
            for (int c = 0; c < in.c(); c++)
                for (int oy = 0; oy < out.h(); oy++)
                    for (int ox = 0; ox < out.w(); ox++) {
                        int y0 = oy * stride - pad, x0 = ox * stride - pad;
                        double s = 0;
                        for (int iy = Math.max(y0, 0); iy < Math.min(y0 + kernel, H); iy++)
                            for (int ix = Math.max(x0, 0); ix < Math.min(x0 + kernel, W); ix++) s += in.get(n, c, iy, ix);
                        out.set(n, c, oy, ox, (float) (s / divisor(y0, x0, H, W)));
                    }
    }
}
