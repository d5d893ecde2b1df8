package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/** Mean over H and W: {@code [N, C, H, W] -> [N, C, 1, 1]}. */
public record GlobalAvgPool() implements Op {
    @Override public String kind() { return "global_avgpool"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.rank4(kind(), in[0]);
        return Shape.nchw(in[0].n(), in[0].c(), 1, 1);
    }

    public void reference(Tensor in, Tensor out) {
        Check.notNull(kind(), "input", in);
        Check.shape(kind(), "output", out, outputShape(in.shape()));
        for (int n = 0; n < in.n(); n++)
            for (int c = 0; c < in.c(); c++) {
                double s = 0;
                for (int y = 0; y < in.h(); y++) for (int x = 0; x < in.w(); x++) s += in.get(n, c, y, x);
                out.set(n, c, 0, 0, (float) (s / ((double) in.h() * in.w())));
            }
    }
}
