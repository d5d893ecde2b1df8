package jcnn.compile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.ops.Concat;
import jcnn.ops.Slice;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * Where every value of a compiled graph lives: a buffer and a channel offset in it, and where every
 * buffer lives: a byte offset in ONE arena, assigned by liveness.
 *
 * <p>Values are the graph input (index {@code n}) and the node outputs (index = node id). Time: step
 * 0 copies the input in, node i runs at step i+1, the output is read at step n+1.
 * <ol>
 * <li><b>Concat in place</b>, concats visited last to first: a concat that no later concat has
 *     claimed gets its own buffer (or, when its inputs already sit side by side in one buffer,
 *     becomes a view of them); then each input that has no place yet (a node output, not a slice,
 *     not the graph input) is placed in its channel slice of that buffer, so its producer writes
 *     there directly. Nested and chained concats (DenseNet's concat of concat) all land in the
 *     outermost buffer, allocated for the whole block. Inputs that cannot be placed (already
 *     placed elsewhere, a slice, the input) are copied by the concat step; a concat with nothing
 *     to copy is no step at all.</li>
 * <li><b>Slices</b> are views of their input's place (ShuffleNet v2's split is free).</li>
 * <li><b>Liveness</b>: a buffer lives from the first write of any value placed in it to the last
 *     read of any of them; two buffers whose lives overlap (a step's inputs and output included)
 *     never share bytes. Offsets are assigned greedily, largest buffer first, at the lowest gap
 *     that fits; {@link #peakBytes()} is the arena size.</li>
 * </ol>
 * Places never partially overlap: values that share bytes are a concat and the inputs it holds,
 * which are the same data, so reads and writes through different views never race.
 */
public final class MemoryPlan {
    private final Graph g;
    private final int n;
    private final int[] buf;      // value -> buffer
    private final int[] chOff;    // value -> first channel in the buffer
    private final boolean[] view; // node -> no step (slice view, concat with all inputs in place)
    private final boolean[][] inPlace; // concat node -> input k already in its slot
    private final List<Shape> bufShape = new ArrayList<>();
    private long[] offset;        // buffer -> byte offset in the arena
    private long peak;

    public MemoryPlan(Graph g) {
        this.g = g;
        n = g.nodes().size();
        buf = new int[n + 1];
        chOff = new int[n + 1];
        view = new boolean[n];
        inPlace = new boolean[n][];
        Arrays.fill(buf, -1);
        placeConcats();
        buf[n] = newBuffer(g.inputShape());
        for (Node node : g.nodes()) {
            int i = node.id();
            if (node.op() instanceof Slice s) {
                int x = v(node.input(0));
                buf[i] = buf[x];
                chOff[i] = chOff[x] + s.start();
                view[i] = true;
            } else if (buf[i] < 0) {
                buf[i] = newBuffer(node.shape());
            }
        }
        assignOffsets();
    }

    private int v(int id) { return id == Graph.INPUT ? n : id; }

    private int newBuffer(Shape s) {
        bufShape.add(s);
        return bufShape.size() - 1;
    }

    private void placeConcats() {
        for (int i = n - 1; i >= 0; i--) {
            Node c = g.node(i);
            if (!(c.op() instanceof Concat)) continue;
            int[] ins = c.inputs();
            inPlace[i] = new boolean[ins.length];
            if (buf[i] < 0 && alreadySideBySide(ins)) {
                buf[i] = buf[ins[0]];
                chOff[i] = chOff[ins[0]];
            } else if (buf[i] < 0) {
                buf[i] = newBuffer(c.shape());
                chOff[i] = 0;
            }
            int o = chOff[i];
            boolean all = true;
            for (int k = 0; k < ins.length; k++) {
                int x = ins[k];
                if (x != Graph.INPUT && buf[x] < 0 && !(g.node(x).op() instanceof Slice) && g.shapeOf(x).rank() == 4) {
                    buf[x] = buf[i];
                    chOff[x] = o;
                }
                inPlace[i][k] = x != Graph.INPUT && buf[x] == buf[i] && chOff[x] == o;
                all &= inPlace[i][k];
                o += g.shapeOf(x).c();
            }
            view[i] = all;
        }
    }

    private boolean alreadySideBySide(int[] ins) {
        if (ins[0] == Graph.INPUT || buf[ins[0]] < 0) return false;
        int o = chOff[ins[0]];
        for (int x : ins) {
            if (x == Graph.INPUT || buf[x] != buf[ins[0]] || chOff[x] != o) return false;
            o += g.shapeOf(x).c();
        }
        return true;
    }

    private void assignOffsets() {
        int nb = bufShape.size();
        int[] first = new int[nb], last = new int[nb];
        Arrays.fill(first, Integer.MAX_VALUE);
        Arrays.fill(last, -1);
        first[buf[n]] = 0;
        for (Node node : g.nodes()) {
            int t = node.id() + 1;
            if (!view[node.id()]) first[buf[node.id()]] = Math.min(first[buf[node.id()]], t);
            for (int x : node.inputs()) last[buf[v(x)]] = Math.max(last[buf[v(x)]], t);
        }
        last[buf[g.outputId()]] = n + 1;
        for (int b = 0; b < nb; b++) { // a buffer written but never read still needs its bytes during the write
            if (first[b] == Integer.MAX_VALUE) first[b] = last[b];
            last[b] = Math.max(last[b], first[b]);
        }
        Integer[] order = new Integer[nb];
        for (int b = 0; b < nb; b++) order[b] = b;
        Arrays.sort(order, (a, b) -> Long.compare(bytes(b), bytes(a)));
        offset = new long[nb];
        List<Integer> placed = new ArrayList<>();
        for (int b : order) {
            List<long[]> busy = new ArrayList<>(); // [start, end) of placed buffers alive at the same time
            for (int p : placed) if (first[p] <= last[b] && first[b] <= last[p]) busy.add(new long[] {offset[p], offset[p] + bytes(p)});
            busy.sort((x, y) -> Long.compare(x[0], y[0]));
            long at = 0;
            for (long[] r : busy) {
                if (r[0] - at >= bytes(b)) break;
                at = Math.max(at, align(r[1]));
            }
            offset[b] = at;
            peak = Math.max(peak, at + bytes(b));
            placed.add(b);
        }
    }

    private long bytes(int b) { return align(bufShape.get(b).size() * Float.BYTES); }
    private static long align(long x) { return (x + Tensor.ALIGN - 1) / Tensor.ALIGN * Tensor.ALIGN; }

    /** Bytes of the one arena all activations live in. */
    public long peakBytes() { return peak; }
    /** Bytes if every buffer had its own memory (what liveness saves). */
    public long totalBytes() { long s = 0; for (int b = 0; b < bufShape.size(); b++) s += bytes(b); return s; }
    public int buffers() { return bufShape.size(); }
    /** True when node {@code id} needs no step: a slice view, or a concat whose inputs are all in place. */
    public boolean isView(int id) { return view[id]; }
    /** For a concat node: whether input k's producer already wrote it into the concat's slot. */
    public boolean inPlace(int concatId, int k) { return inPlace[concatId][k]; }

    /**
     * Where value {@code id} (a node id or {@link Graph#INPUT}) lives, as a byte offset from the
     * arena's start, its shape and its batch stride in elements: what a device executor needs to
     * make the same view over device memory that {@link #tensor} makes over host memory.
     */
    public record Place(long byteOffset, Shape shape, long batchStride) {}

    public Place place(int id) {
        int x = v(id);
        int b = buf[x];
        Shape bs = bufShape.get(b);
        Shape s = g.shapeOf(id);
        if (s.rank() != 4) return new Place(offset[b], s, s.size() / s.n());
        long hw = (long) bs.h() * bs.w();
        return new Place(offset[b] + chOff[x] * hw * Float.BYTES, s, bs.size() / bs.n());
    }

    /** The tensor of value {@code id} (a node id or {@link Graph#INPUT}) over an arena of {@link #peakBytes()}. */
    public Tensor tensor(java.lang.foreign.MemorySegment arena, int id) {
        int x = v(id);
        int b = buf[x];
        Shape bs = bufShape.get(b);
        Tensor whole = Tensor.wrap(arena.asSlice(offset[b], bs.size() * Float.BYTES), bs);
        Shape s = g.shapeOf(id);
        if (s.equals(bs) && chOff[x] == 0) return whole;
        return whole.channelSlice(chOff[x], s.c());
    }
}
