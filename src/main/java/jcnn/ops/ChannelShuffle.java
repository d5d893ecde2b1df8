package jcnn.ops;

import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Channel shuffle with g groups: view C as (g, C/g), transpose to (C/g, g), flatten.
 * {@code out[j] = in[(j mod g) * (C/g) + j / g]} (ShuffleNet's and PyTorch's convention).
 */
public record ChannelShuffle(int groups) implements Op {
    public ChannelShuffle { Check.positive("channel_shuffle", "groups", groups); }

    @Override public String kind() { return "channel_shuffle"; }

    @Override
    public Shape outputShape(Shape... in) {
        Check.arity(kind(), in, 1);
        Check.rank4(kind(), in[0]);
        if (in[0].c() % groups != 0) {
            throw new IllegalArgumentException("channel_shuffle: channels " + in[0].c() + " not divisible by groups " + groups);
        }
        return in[0];
    }

    /** The input channel that output channel j reads. */
    public int sourceChannel(int j, int channels) {
        int per = channels / groups;
        return (j % groups) * per + j / groups;
    }

    public void reference(Tensor in, Tensor out) {
        Check.notNull(kind(), "input", in);
        Check.shape(kind(), "output", out, outputShape(in.shape()));
        int C = in.c();
        for (int n = 0; n < in.n(); n++)
            for (int j = 0; j < C; j++) {
                int src = sourceChannel(j, C);
                for (int y = 0; y < in.h(); y++)
                    for (int x = 0; x < in.w(); x++) out.set(n, j, y, x, in.get(n, src, y, x));
            }
    }
}
