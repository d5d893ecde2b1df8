package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Channels [start, start+count) of the input: one output of a channel split. The compiler turns it
 * into a zero-copy view ({@link Tensor#channelSlice}) so this copy rarely runs.
 */
public record Slice(int start, int count) implements Op {
    public Slice {
        Check.nonNegative("slice", "start", start);
        Check.positive("slice", "count", count);
    }

    @Override public String kind() { return "slice"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.rank4(kind(), in[0]);
        if (start + count > in[0].c()) {
            throw new IllegalArgumentException("slice: channels [" + start + ", " + (start + count) + ") exceed input " + in[0]);
        }
        return in[0].withC(count);
    }

    public void reference(Tensor in, Tensor out) {
        Check.notNull(kind(), "input", in);
        Check.shape(kind(), "output", out, outputShape(in.shape()));
        for (int n = 0; n < in.n(); n++)
            for (int c = 0; c < count; c++)
                for (int y = 0; y < in.h(); y++)
                    for (int x = 0; x < in.w(); x++) out.set(n, c, y, x, in.get(n, start + c, y, x));
    }
}
