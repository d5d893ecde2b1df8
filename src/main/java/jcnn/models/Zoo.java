package jcnn.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.graph.Graph;
import jcnn.tensor.Shape;

/**
 * Every network jcnn knows, by id. A spec is an id with optional options:
 * {@code id[:key=value[,key=value...]]}, e.g. {@code mobilenet_v1:width=0.5,res=160,act=relu} or
 * {@code shufflenet_v1:g=8,width=0.5}. Every id takes {@code classes=N}; the others are listed by
 * {@link Entry#options()} (first value = default) and printed by {@code bin/jcnn zoo}.
 * Unknown ids or options throw IllegalArgumentException listing the valid ones.
 */
public final class Zoo {
    private Zoo() {}

    /** Builds one network from parsed options at an input shape; {@code name} becomes the graph's name. */
    @FunctionalInterface
    public interface Builder {
        Graph build(String name, Options options, Shape input);
    }

    /**
     * One id: its family, the paper row it reproduces, its default input size and options
     * (key -> admitted values, the first the default), and its builder.
     */
    public record Entry(String id, String family, String description, int size,
                        Map<String, List<String>> options, Builder builder) {}

    /** A parsed spec: an entry and its option values. */
    public record Spec(Entry entry, Options options) {
        /** The canonical spec text: the id plus the options that differ from their defaults. */
        public String name() {
            StringBuilder sb = new StringBuilder(entry.id());
            String sep = ":";
            for (var e : options.values().entrySet()) {
                if (!e.getValue().equals(entry.options().get(e.getKey()).get(0))) {
                    sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
                    sep = ",";
                }
            }
            return sb.toString();
        }

        /** The input size this spec is meant for: the {@code res} option where the net has one, else the id's default. */
        public int defaultSize() { return options.values().containsKey("res") ? options.integer("res") : entry.size(); }

        public Graph build() { return build(defaultSize()); }
        public Graph build(int size) { return build(Shape.nchw(1, 3, size, size)); }
        public Graph build(Shape input) {
            if (input == null) throw new NullPointerException(entry.id() + ": input shape is null");
            if (input.rank() != 4) throw new IllegalArgumentException(entry.id() + ": input shape " + input + " is not NCHW");
            return entry.builder().build(name(), options, input);
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        ZooEntries.register();
    }

    static void add(String id, String family, String description, int size, Map<String, List<String>> options, Builder builder) {
        if (ENTRIES.put(id, new Entry(id, family, description, size, Collections.unmodifiableMap(options), builder)) != null) {
            throw new IllegalStateException("duplicate zoo id " + id);
        }
    }

    /** Every id, in the order of the families and their papers' tables. */
    public static List<String> ids() { return List.copyOf(ENTRIES.keySet()); }
    public static List<Entry> entries() { return List.copyOf(ENTRIES.values()); }

    public static Entry entry(String id) {
        Entry e = ENTRIES.get(id);
        if (e == null) throw new IllegalArgumentException("unknown network '" + id + "'; valid ids: " + String.join(", ", ENTRIES.keySet()));
        return e;
    }

    /** Parses {@code id[:k=v,...]}. */
    public static Spec parse(String spec) {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("empty network spec; valid ids: " + String.join(", ", ENTRIES.keySet()));
        int colon = spec.indexOf(':');
        String id = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        Entry e = entry(id);
        return new Spec(e, Options.parse(id, colon < 0 ? "" : spec.substring(colon + 1), e.options()));
    }

    /** The network at its default input size (224, or 32 for the CIFAR nets, or its res option). */
    public static Graph build(String spec) { return parse(spec).build(); }
    /** The network at a square input of {@code size} pixels, batch 1. */
    public static Graph build(String spec, int size) { return parse(spec).build(size); }
    public static Graph build(String spec, Shape input) { return parse(spec).build(input); }

    /** Option table helper for {@link ZooEntries}: key, values (first = default), key, values ... */
    static Map<String, List<String>> opts(Object... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            List<String> vals = new ArrayList<>();
            for (String v : ((String) kv[i + 1]).split("\\|")) vals.add(v);
            m.put((String) kv[i], List.copyOf(vals));
        }
        return m;
    }
}
