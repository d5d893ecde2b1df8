package jcnn.compile;

import java.lang.foreign.Arena;
import java.util.HashMap;
import java.util.Map;
import jcnn.graph.Weights;
import jcnn.tensor.Tensor;

/**
 * The compiled model's weights copied once into native memory owned by one arena (freed with the
 * model). Backends that pack weights further keep the packed form in {@link #arena()} too.
 * Filled while planning, under the model's lock; never touched on the hot path.
 */
public final class NativeWeights {
    private final Weights heap;
    private final Arena arena;
    private final Map<String, Tensor> cache = new HashMap<>();

    public NativeWeights(Weights heap, Arena arena) {
        this.heap = heap;
        this.arena = arena;
    }

    /** The native tensor of weight {@code key}, copied on first use. */
    public Tensor tensor(String key) {
        return cache.computeIfAbsent(key, k -> {
            Tensor t = Tensor.allocate(heap.shape(k), arena);
            t.copyFrom(heap.get(k));
            return t;
        });
    }

    /** The heap values (for a backend that packs them its own way). */
    public float[] values(String key) { return heap.get(key); }
    public Arena arena() { return arena; }

    /** Bytes of native weights held so far. */
    public long bytes() { return cache.values().stream().mapToLong(t -> t.shape().size() * Float.BYTES).sum(); }
}
