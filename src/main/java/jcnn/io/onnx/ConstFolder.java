package jcnn.io.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import jcnn.io.onnx.OnnxModel.Node;
import jcnn.io.onnx.OnnxModel.Tensor;

/**
 * Evaluates the small integer subgraphs exporters put in front of a Reshape (Shape, Gather,
 * Unsqueeze, Concat, Constant, arithmetic) once, at import: every value they touch is known because
 * our graph has a fixed input shape. Handles 0-D and 1-D tensors, which is all such subgraphs use.
 */
final class ConstFolder {
    private ConstFolder() {}

    private static final Set<String> FOLDABLE = Set.of("Constant", "Shape", "Gather", "Unsqueeze", "Squeeze", "Concat", "Cast",
        "Add", "Sub", "Mul", "Div", "Slice", "Identity", "Reshape", "Floor", "Ceil");

    /** Whether {@code n} computes a constant: Constant, Shape of a known value, or a foldable op on constants only. */
    static boolean foldable(ImportState s, Node n) {
        if (n.opType().equals("Constant")) return true;
        if (n.opType().equals("Shape")) return !s.isPending(n.input(0));
        if (!FOLDABLE.contains(n.opType()) || n.inputs().isEmpty()) return false;
        for (String i : n.inputs()) if (!i.isEmpty() && !s.isConst(i)) return false;
        return true;
    }

    static Tensor fold(ImportState s, Node n) {
        String out = n.outputs().get(0);
        return switch (n.opType()) {
            case "Constant" -> constant(n, out);
            case "Shape" -> {
                long[] d = s.isConst(n.input(0)) ? s.constant(n.input(0)).dims() : s.dims(n.input(0));
                int r = d.length;
                int start = (int) norm(n.i("start", 0), r), end = (int) norm(n.i("end", r), r);
                long[] v = Arrays.copyOfRange(d, Math.max(0, Math.min(start, r)), Math.max(0, Math.min(end, r)));
                yield Tensor.ofLongs(out, v, v.length);
            }
            case "Gather" -> {
                long[] data = ints(s, n.input(0));
                Tensor idx = in(s, n, 1);
                if (in(s, n, 0).dims().length != 1 || n.i("axis", 0) != 0) throw new IllegalArgumentException("only 1-D Gather is folded");
                long[] iv = ints(s, n.input(1)), v = new long[iv.length];
                for (int i = 0; i < iv.length; i++) v[i] = data[(int) norm(iv[i], data.length)];
                yield Tensor.ofLongs(out, v, idx.dims());
            }
            case "Unsqueeze", "Squeeze" -> {
                Tensor t = in(s, n, 0);
                long[] axes = s.opset >= 13 ? (n.input(1).isEmpty() ? null : ints(s, n.input(1))) : n.ints("axes");
                yield new Tensor(out, t.dataType(), n.opType().equals("Unsqueeze") ? unsqueeze(t.dims(), axes) : squeeze(t.dims(), axes), t.floats(), t.longs());
            }
            case "Concat" -> {
                List<Long> v = new ArrayList<>();
                for (String i : n.inputs()) for (long x : ints(s, i)) v.add(x);
                long[] a = v.stream().mapToLong(Long::longValue).toArray();
                yield Tensor.ofLongs(out, a, a.length);
            }
            case "Cast" -> {
                Tensor t = in(s, n, 0);
                long to = n.i("to", OnnxProto.INT64);
                if (to == OnnxProto.FLOAT || to == OnnxProto.DOUBLE) {
                    float[] f = t.isFloat() ? t.floats() : toFloats(t.longs());
                    yield new Tensor(out, OnnxProto.FLOAT, t.dims(), f, null);
                }
                long[] l = t.isFloat() ? toLongs(t.floats()) : t.longs();
                yield new Tensor(out, OnnxProto.INT64, t.dims(), null, l);
            }
            case "Add", "Sub", "Mul", "Div" -> arith(s, n, out);
            case "Slice" -> {
                long[] data = ints(s, n.input(0));
                long b = norm(ints(s, n.input(1))[0], data.length), e = norm(ints(s, n.input(2))[0], data.length);
                b = Math.max(0, Math.min(data.length, b));
                e = Math.max(b, Math.min(data.length, e));
                long[] v = Arrays.copyOfRange(data, (int) b, (int) e);
                yield Tensor.ofLongs(out, v, v.length);
            }
            case "Identity" -> in(s, n, 0);
            case "Floor", "Ceil" -> {
                // torch's c // g: on integers a no-op, on floats the rounding
                Tensor t = in(s, n, 0);
                if (!t.isFloat()) yield t;
                float[] f = t.floats().clone();
                for (int i = 0; i < f.length; i++) f[i] = (float) (n.opType().equals("Floor") ? Math.floor(f[i]) : Math.ceil(f[i]));
                yield new Tensor(out, t.dataType(), t.dims(), f, null);
            }
            case "Reshape" -> {
                Tensor t = in(s, n, 0);
                long[] d = ShapeImport.resolve(t.dims(), ints(s, n.input(1)), n.i("allowzero", 0) != 0);
                yield new Tensor(out, t.dataType(), d, t.floats(), t.longs());
            }
            default -> throw new IllegalStateException(n.opType());
        };
    }

    private static Tensor constant(Node n, String out) {
        var a = n.attr("value");
        if (a != null && a.t() != null) { Tensor t = a.t(); return new Tensor(out, t.dataType(), t.dims(), t.floats(), t.longs()); }
        if (n.attr("value_float") != null) return new Tensor(out, OnnxProto.FLOAT, new long[0], new float[] {n.f("value_float", 0)}, null);
        if (n.attr("value_int") != null) return new Tensor(out, OnnxProto.INT64, new long[0], null, new long[] {n.i("value_int", 0)});
        if (n.attr("value_ints") != null) { long[] v = n.ints("value_ints"); return Tensor.ofLongs(out, v, v.length); }
        if (n.attr("value_floats") != null) { float[] v = n.attr("value_floats").floats(); return Tensor.ofFloats(out, v, v.length); }
        throw new IllegalArgumentException("Constant without a supported value attribute");
    }

    private static Tensor arith(ImportState s, Node n, String out) {
        Tensor a = in(s, n, 0), b = in(s, n, 1);
        long na = a.elements(), nb = b.elements();
        if (na != nb && na != 1 && nb != 1) throw new IllegalArgumentException("folding " + n.opType() + " needs equal sizes or a scalar");
        Tensor big = na >= nb ? a : b;
        int len = (int) Math.max(na, nb);
        if (a.isFloat() || b.isFloat()) {
            float[] x = a.isFloat() ? a.floats() : toFloats(a.longs()), y = b.isFloat() ? b.floats() : toFloats(b.longs()), r = new float[len];
            for (int i = 0; i < len; i++) {
                float p = x[na == 1 ? 0 : i], q = y[nb == 1 ? 0 : i];
                r[i] = switch (n.opType()) { case "Add" -> p + q; case "Sub" -> p - q; case "Mul" -> p * q; default -> p / q; };
            }
            return new Tensor(out, OnnxProto.FLOAT, big.dims(), r, null);
        }
        long[] x = a.longs(), y = b.longs(), r = new long[len];
        for (int i = 0; i < len; i++) {
            long p = x[na == 1 ? 0 : i], q = y[nb == 1 ? 0 : i];
            if (n.opType().equals("Div") && q == 0) throw new IllegalArgumentException("integer division by zero");
            r[i] = switch (n.opType()) { case "Add" -> p + q; case "Sub" -> p - q; case "Mul" -> p * q; default -> p / q; };
        }
        return new Tensor(out, OnnxProto.INT64, big.dims(), null, r);
    }

    /** Input k of a node being folded: a constant, or an error naming the node and input (an empty name included). */
    private static Tensor in(ImportState s, Node n, int k) { return s.requireConst(n.input(k), n.opType() + " input " + k); }

    private static long[] ints(ImportState s, String v) {
        Tensor t = s.requireConst(v, "shape or index list");
        return t.isFloat() ? toLongs(t.floats()) : t.longs();
    }

    private static long norm(long a, int n) { return a < 0 ? a + n : a; }

    private static long[] unsqueeze(long[] d, long[] axes) {
        if (axes == null) throw new IllegalArgumentException("Unsqueeze without axes");
        int r = d.length + axes.length;
        boolean[] one = new boolean[r];
        for (long a : axes) one[(int) norm(a, r)] = true;
        long[] o = new long[r];
        for (int i = 0, j = 0; i < r; i++) o[i] = one[i] ? 1 : d[j++];
        return o;
    }

    private static long[] squeeze(long[] d, long[] axes) {
        List<Long> o = new ArrayList<>();
        for (int i = 0; i < d.length; i++) {
            final int k = i;
            boolean drop = axes == null ? d[i] == 1 : Arrays.stream(axes).anyMatch(a -> norm(a, d.length) == k);
            if (!drop) o.add(d[i]);
        }
        return o.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] toFloats(long[] v) { float[] f = new float[v.length]; for (int i = 0; i < v.length; i++) f[i] = v[i]; return f; }
    private static long[] toLongs(float[] v) { long[] l = new long[v.length]; for (int i = 0; i < v.length; i++) l[i] = (long) v[i]; return l; }
}
