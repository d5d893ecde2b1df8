package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Concatenation along channels, inputs in order. The compiler usually removes it: producers write
 * straight into channel slices of the output (concat in place), and this copy never runs.
 */
public record Concat() implements Op {
    @Override public String kind() { return "concat"; }

    @Override
    public Shape outputShape(Shape... in) {
        if (in.length < 1) throw new IllegalArgumentException("concat: needs at least one input");
        int c = 0;
        for (Shape s : in) {
            Check.rank4(kind(), s);
            if (s.n() != in[0].n() || s.h() != in[0].h() || s.w() != in[0].w()) {
                throw new IllegalArgumentException("concat: input " + s + " does not match " + in[0] + " outside the channel axis");
            }
            c += s.c();
        }
        return in[0].withC(c);
    }

    public void reference(Tensor[] in, Tensor out) {
        Shape[] shapes = new Shape[in.length];
        for (int i = 0; i < in.length; i++) { Check.notNull(kind(), "input " + i, in[i]); shapes[i] = in[i].shape(); }
        Check.shape(kind(), "output", out, outputShape(shapes));
        int c0 = 0;
        for (Tensor t : in) {
            for (int n = 0; n < t.n(); n++)
                for (int c = 0; c < t.c(); c++)
                    for (int y = 0; y < t.h(); y++)
                        for (int x = 0; x < t.w(); x++) out.set(n, c0 + c, y, x, t.get(n, c, y, x));
            c0 += t.c();
        }
    }
}
