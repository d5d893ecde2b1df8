package jcnn.graph;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import jcnn.tensor.Shape;
import jcnn.tensor.Tensor;

/**
 * A state dict: PyTorch key (e.g. "features.0.weight") -> float32 values with their shape, on the
 * Java heap. The compiler reads it once (folding BN, packing) into native memory; it is not used on
 * the hot path. Not thread-safe for mutation; safe to read from many threads once filled.
 */
public final class Weights {
    private final Map<String, float[]> values = new LinkedHashMap<>();
    private final Map<String, Shape> shapes = new LinkedHashMap<>();

    public void put(String key, Shape shape, float[] v) {
        if (v.length != shape.size()) {
            throw new IllegalArgumentException("weight " + key + ": " + v.length + " values do not fit shape " + shape);
        }
        values.put(key, v);
        shapes.put(key, shape);
    }

    public boolean has(String key) { return values.containsKey(key); }
    public Set<String> keys() { return values.keySet(); }
    public Shape shape(String key) { return shapes.get(key); }

    /** The values of a weight; IllegalArgumentException naming the key when it is missing. */
    public float[] get(String key) {
        float[] v = values.get(key);
        if (v == null) throw new IllegalArgumentException("missing weight " + key);
        return v;
    }

    /** A zero-copy heap tensor over a weight (for the scalar reference and tests). */
    public Tensor tensor(String key) { return Tensor.wrap(get(key), shapes.get(key)); }

    /** Throws IllegalArgumentException naming the first weight the graph needs that is missing or misshapen. */
    public void requireFor(Graph g) {
        for (var e : g.weightShapes().entrySet()) {
            if (!has(e.getKey())) throw new IllegalArgumentException(g.name() + ": missing weight " + e.getKey() + " " + e.getValue());
            if (!shape(e.getKey()).equals(e.getValue()) && shape(e.getKey()).size() != e.getValue().size()) {
                throw new IllegalArgumentException(g.name() + ": weight " + e.getKey() + " has shape " + shape(e.getKey())
                    + ", the graph needs " + e.getValue());
            }
        }
    }
}
