package jcnn.compile;

import java.util.List;
import jcnn.graph.Graph;
import jcnn.ops.ChannelShuffle;
import jcnn.ops.Conv2d;
import jcnn.tensor.Shape;

/**
 * Pass 5: a channel shuffle folded into a neighbour's weights, exactly (a permutation of weight
 * rows or columns at compile time; no arithmetic changes, so results are bit-identical to running
 * the shuffle). With {@code S[j] = X[src(j)]}:
 * <ul>
 * <li>consumer side: when every reader of S is a dense conv (groups 1) taking S as its main input,
 *     each reads X instead with its weight's input columns permuted, {@code w'[o][src(j)] = w[o][j]}
 *     (and its input prologue's scale/shift likewise). ShuffleNet v2's last shuffle before conv5.</li>
 * <li>producer side: when X comes from a dense conv without a residual that only the shuffle reads,
 *     that conv writes S directly with its output rows permuted, {@code w'[j] = w[src(j)]}.</li>
 * </ul>
 * Everything else runs the shuffle kernel: a grouped or depthwise neighbour cannot absorb a
 * permutation without losing its group structure (ShuffleNet v1's shuffle sits between a grouped
 * 1x1 and a depthwise conv), and a channel slice of a shuffled tensor (ShuffleNet v2's split) is
 * not a contiguous range of the unshuffled one.
 */
public final class FoldShuffle {
    private FoldShuffle() {}

    public static Compiled apply(Compiled c) {
        GraphEdit e = new GraphEdit(c);
        for (int id = 0; id < e.size(); id++) {
            if (!(e.op(id) instanceof ChannelShuffle sh)) continue;
            final int i = id;
            int x = e.resolve(e.input(i, 0));
            int C = e.shape(i).c();
            List<Integer> rs = e.readers(i);
            if (!e.isOutput(i) && !rs.isEmpty() && rs.stream().allMatch(r -> denseReader(e, r, i))) {
                for (int r : rs) permuteInputs(e, r, sh, C, x);
                e.remove(i, x);
            } else if (x != Graph.INPUT && e.readerCount(x) == 1 && e.op(x) instanceof Conv2d conv
                       && conv.groups() == 1 && !conv.residual()) {
                permuteOutputs(e, x, conv, sh, C);
                e.remove(i, x);
            }
        }
        return e.build();
    }

    private static boolean denseReader(GraphEdit e, int r, int v) {
        return e.op(r) instanceof Conv2d conv && conv.groups() == 1 && e.input(r, 0) == v
            && (!conv.residual() || e.input(r, 1) != v);
    }

    private static void permuteInputs(GraphEdit e, int r, ChannelShuffle sh, int C, int x) {
        Conv2d conv = (Conv2d) e.op(r);
        int kk = conv.kernel() * conv.kernel();
        float[] w = e.weight(r, "weight"), w2 = new float[w.length];
        for (int o = 0; o < conv.outC(); o++)
            for (int j = 0; j < C; j++)
                System.arraycopy(w, (o * C + j) * kk, w2, (o * C + sh.sourceChannel(j, C)) * kk, kk);
        e.putWeight(r, "weight", conv.weightShape(), w2);
        if (conv.inputBnRelu()) {
            for (String k : new String[] {"in_scale", "in_shift"}) {
                float[] s = e.weight(r, k), s2 = new float[C];
                for (int j = 0; j < C; j++) s2[sh.sourceChannel(j, C)] = s[j];
                e.putWeight(r, k, Shape.of(C), s2);
            }
        }
        int[] ins = e.inputs(r);
        ins[0] = x;
        e.setInputs(r, ins);
    }

    private static void permuteOutputs(GraphEdit e, int p, Conv2d conv, ChannelShuffle sh, int C) {
        int per = (int) (conv.weightShape().size() / C);
        float[] w = e.weight(p, "weight"), w2 = new float[w.length];
        for (int j = 0; j < C; j++) System.arraycopy(w, sh.sourceChannel(j, C) * per, w2, j * per, per);
        e.putWeight(p, "weight", conv.weightShape(), w2);
        if (conv.bias()) {
            float[] b = e.weight(p, "bias"), b2 = new float[C];
            for (int j = 0; j < C; j++) b2[j] = b[sh.sourceChannel(j, C)];
            e.putWeight(p, "bias", Shape.of(C), b2);
        }
    }
}
