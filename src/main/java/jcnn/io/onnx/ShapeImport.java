package jcnn.io.onnx;

import java.util.Arrays;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.ops.ChannelShuffle;
import jcnn.ops.Concat;
import jcnn.ops.Slice;

/** ONNX nodes that move channels around: Concat, Split, Slice, Flatten, and the shuffle's Reshape-Transpose-Reshape. */
final class ShapeImport {
    private ShapeImport() {}

    private static long axis(long a, int rank) { return a < 0 ? a + rank : a; }

    static void concat(ImportState s, Node n) {
        String first = n.input(0);
        int rank = s.dims(first).length;
        if (axis(n.i("axis", 1), rank) != 1) throw new IllegalArgumentException("Concat on axis " + n.i("axis", 1) + " is not supported (channels only)");
        int[] xs = new int[n.inputs().size()];
        for (int i = 0; i < xs.length; i++) xs[i] = s.value(n.input(i));
        String out = n.outputs().get(0);
        if (xs.length == 1) { s.alias(out, first, null); return; }
        s.define(out, s.add(null, new Concat(), xs));
    }

    /** Split on channels -> one Slice per output; sizes from the attribute (< 13), the input (>= 13) or an even split. */
    static void split(ImportState s, Node n) {
        int x = s.value(n.input(0));
        int c = s.b.channels(x);
        if (axis(n.i("axis", 0), s.dims(n.input(0)).length) != 1) throw new IllegalArgumentException("Split on axis " + n.i("axis", 0) + " is not supported (channels only)");
        int k = n.outputs().size();
        long[] sizes = s.opset < 13 ? n.ints("split") : (n.input(1).isEmpty() ? null : s.requireConst(n.input(1), "split sizes").longs());
        if (sizes == null || sizes.length == 0) {
            // even split; from opset 18 the last chunk may be smaller (ceil division)
            long per = (c + k - 1) / k;
            sizes = new long[k];
            for (int i = 0; i < k; i++) sizes[i] = Math.min(per, c - per * i);
            if (s.opset < 18 && c % k != 0) throw new IllegalArgumentException(c + " channels do not split evenly into " + k);
        }
        if (sizes.length != k || Arrays.stream(sizes).sum() != c || Arrays.stream(sizes).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("inconsistent shapes: split sizes " + Arrays.toString(sizes) + " for " + c + " channels and " + k + " outputs");
        }
        int start = 0;
        for (int i = 0; i < k; i++) {
            if (!n.outputs().get(i).isEmpty()) s.define(n.outputs().get(i), s.add(null, new Slice(start, (int) sizes[i]), x));
            start += (int) sizes[i];
        }
    }

    /** Slice of channels, step 1 (starts/ends/axes as attributes before opset 10, as inputs after). */
    static void slice(ImportState s, Node n) {
        int x = s.value(n.input(0));
        int rank = s.dims(n.input(0)).length, c = s.b.channels(x);
        long[] starts, ends, axes, steps = null;
        if (s.opset < 10) {
            starts = n.ints("starts"); ends = n.ints("ends"); axes = n.ints("axes");
        } else {
            starts = s.requireConst(n.input(1), "Slice starts").longs();
            ends = s.requireConst(n.input(2), "Slice ends").longs();
            axes = n.input(3).isEmpty() ? null : s.requireConst(n.input(3), "Slice axes").longs();
            steps = n.input(4).isEmpty() ? null : s.requireConst(n.input(4), "Slice steps").longs();
        }
        if (axes == null) axes = new long[] {0};
        if (starts.length != 1 || ends.length != 1 || axes.length != 1 || axis(axes[0], rank) != 1 || (steps != null && (steps.length != 1 || steps[0] != 1))) {
            throw new IllegalArgumentException("only a step-1 slice of the channel axis is supported (axes " + Arrays.toString(axes) + ")");
        }
        long b = clamp(starts[0], c), e = clamp(ends[0], c);
        if (e <= b) throw new IllegalArgumentException("empty channel slice [" + b + ", " + e + ")");
        String out = n.outputs().get(0);
        if (b == 0 && e == c) { s.alias(out, n.input(0), null); return; }
        s.define(out, s.add(null, new Slice((int) b, (int) (e - b)), x));
    }

    private static long clamp(long v, long c) {
        if (v < 0) v += c;
        return Math.max(0, Math.min(c, v));
    }

    /** Flatten(axis 1) is a view for us: the Linear after it reads C*H*W features. */
    static void flatten(ImportState s, Node n) {
        long[] d = s.dims(n.input(0));
        if (axis(n.i("axis", 1), d.length) != 1) throw new IllegalArgumentException("Flatten on axis " + n.i("axis", 1) + " is not supported");
        long f = 1;
        for (int i = 1; i < d.length; i++) f *= d[i];
        s.alias(n.outputs().get(0), n.input(0), new long[] {d[0], f});
    }

    /** The (N, g, C/g, H, W) view of a value, before and after its Transpose(0, 2, 1, 3, 4). */
    private record Grouped(String x, int groups, long[] dims4, boolean transposed) implements ImportState.Pending {
        @Override public int materialize(ImportState s) {
            throw new IllegalArgumentException("a 5-D Reshape is only supported as part of a channel shuffle (Reshape-Transpose-Reshape)");
        }
    }

    static void reshape(ImportState s, Node n) {
        String in = n.input(0), out = n.outputs().get(0);
        long[] shape = s.requireConst(n.input(1), "Reshape shape").longs();
        boolean allowZero = n.i("allowzero", 0) != 0;
        if (s.pending.get(in) instanceof Grouped g) {
            long[] d = g.dims4();
            long[] t = resolve(g.transposed() ? new long[] {d[0], d[1] / g.groups(), g.groups(), d[2], d[3]}
                : new long[] {d[0], g.groups(), d[1] / g.groups(), d[2], d[3]}, shape, allowZero);
            if (!g.transposed() || !Arrays.equals(t, g.dims4())) {
                throw new IllegalArgumentException("Reshape of a grouped channel view to " + Arrays.toString(t) + " is not a channel shuffle");
            }
            s.pending.remove(in);
            s.define(out, s.add(null, new ChannelShuffle(g.groups()), s.value(g.x())));
            return;
        }
        long[] d = s.dims(in);
        long[] t = resolve(d, shape, allowZero);
        if (Arrays.equals(t, d)) { s.alias(out, in, null); return; }
        long f = 1;
        for (int i = 1; i < d.length; i++) f *= d[i];
        if (t.length == 2 && t[0] == d[0] && t[1] == f) { s.alias(out, in, t); return; }
        if (d.length == 4 && t.length == 5 && t[0] == d[0] && t[1] * t[2] == d[1] && t[3] == d[2] && t[4] == d[3]) {
            s.value(in);
            s.definePending(out, new Grouped(in, (int) t[1], d, false));
            return;
        }
        throw new IllegalArgumentException("Reshape from " + Arrays.toString(d) + " to " + Arrays.toString(t) + " is not supported");
    }

    static void transpose(ImportState s, Node n) {
        long[] perm = n.ints("perm");
        if (s.pending.get(n.input(0)) instanceof Grouped g && !g.transposed() && Arrays.equals(perm, new long[] {0, 2, 1, 3, 4})) {
            s.pending.remove(n.input(0));
            s.definePending(n.outputs().get(0), new Grouped(g.x(), g.groups(), g.dims4(), true));
            return;
        }
        throw new IllegalArgumentException("Transpose " + Arrays.toString(perm) + " is only supported inside a channel shuffle");
    }

    /** ONNX Reshape's target: 0 copies the input's dim (unless allowzero), one -1 takes what is left. */
    static long[] resolve(long[] in, long[] shape, boolean allowZero) {
        long[] t = shape.clone();
        long total = 1, known = 1;
        for (long v : in) total *= v;
        int minus = -1;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == 0 && !allowZero) {
                if (i >= in.length) throw new IllegalArgumentException("Reshape copies dim " + i + " that the input lacks");
                t[i] = in[i];
            }
            if (t[i] == -1) {
                if (minus >= 0) throw new IllegalArgumentException("Reshape shape " + Arrays.toString(shape) + " has two -1");
                minus = i;
            } else if (t[i] < 0) {
                throw new IllegalArgumentException("Reshape shape " + Arrays.toString(shape) + " has a negative dim");
            } else {
                known *= t[i];
            }
        }
        if (minus >= 0) {
            if (known == 0 || total % known != 0) throw new IllegalArgumentException("Reshape of " + Arrays.toString(in) + " to " + Arrays.toString(shape) + " does not divide");
            t[minus] = total / known;
        } else if (known != total) {
            throw new IllegalArgumentException("inconsistent shapes: Reshape of " + Arrays.toString(in) + " to " + Arrays.toString(shape));
        }
        return t;
    }
}
