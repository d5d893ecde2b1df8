package jcnn.io;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file. Validation is strict, after the
 * reference implementation: every entry has exactly dtype, shape and data_offsets; its byte range
 * matches its shape and dtype; and the ranges, sorted, tile the data area exactly (no overlap, no
 * gap, nothing past the end). Errors are IllegalArgumentException without the file name (the
 * caller prefixes it).
 */
record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {

    /** The dtypes of the safetensors spec; the floating ones are converted to float32 on load. */
    enum Dtype {
        BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2),
        I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

        final int bytes;
        Dtype(int bytes) { this.bytes = bytes; }

        /** Whether load converts it to float32 (8-bit floats are rare enough to leave out). */
        boolean loadable() { return this == F32 || this == F16 || this == BF16 || this == F64; }

        static Dtype of(String name) {
            for (Dtype d : values()) if (d.name().equals(name)) return d;
            throw new IllegalArgumentException("unknown dtype \"" + name + "\"");
        }
    }

    /** One tensor: offsets are relative to the start of the data area, {@code end} exclusive. */
    record Entry(String name, Dtype dtype, long[] shape, long begin, long end) {
        long elements() {
            long n = 1;
            for (long d : shape) n = Math.multiplyExact(n, d);
            return n;
        }
    }

    static final String METADATA = "__metadata__";

    /** Parses {@code json} for a data area of {@code dataBytes} bytes. */
    static SafetensorsHeader parse(String json, long dataBytes) {
        if (json.isEmpty() || json.charAt(0) != '{') throw new IllegalArgumentException("header does not start with '{'");
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?> top)) throw new IllegalArgumentException("header is not a JSON object");
        List<Entry> entries = new ArrayList<>();
        Map<String, String> meta = new LinkedHashMap<>();
        for (var e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) throw new IllegalArgumentException("__metadata__ is not an object");
                for (var kv : m.entrySet()) {
                    if (!(kv.getValue() instanceof String v)) {
                        throw new IllegalArgumentException("__metadata__ value of \"" + kv.getKey() + "\" is not a string");
                    }
                    meta.put((String) kv.getKey(), v);
                }
            } else {
                entries.add(entry(name, e.getValue(), dataBytes));
            }
        }
        checkTiling(entries, dataBytes);
        return new SafetensorsHeader(List.copyOf(entries), meta);
    }

    private static Entry entry(String name, Object v, long dataBytes) {
        String where = "tensor \"" + name + "\": ";
        if (!(v instanceof Map<?, ?> m)) throw new IllegalArgumentException(where + "entry is not an object");
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new IllegalArgumentException(where + "unexpected field \"" + k + "\"");
            }
        }
        if (!(m.get("dtype") instanceof String dt)) throw new IllegalArgumentException(where + "dtype missing or not a string");
        Dtype dtype;
        try {
            dtype = Dtype.of(dt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage());
        }
        long[] shape = longs(m.get("shape"), where + "shape", -1);
        long[] off = longs(m.get("data_offsets"), where + "data_offsets", 2);
        for (long d : shape) if (d < 0) throw new IllegalArgumentException(where + "negative dimension in shape");
        if (off[0] < 0 || off[1] < 0) throw new IllegalArgumentException(where + "negative data offset");
        if (off[1] < off[0]) throw new IllegalArgumentException(where + "data_offsets end " + off[1] + " before begin " + off[0]);
        if (off[1] > dataBytes) {
            throw new IllegalArgumentException(where + "data_offsets [" + off[0] + ", " + off[1] + ") run past the data area of "
                + dataBytes + " bytes");
        }
        Entry e = new Entry(name, dtype, shape, off[0], off[1]);
        long want;
        try {
            want = Math.multiplyExact(e.elements(), dtype.bytes);
        } catch (ArithmeticException ex) {
            throw new IllegalArgumentException(where + "shape too large");
        }
        if (want != off[1] - off[0]) {
            throw new IllegalArgumentException(where + "shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                + want + " bytes, data_offsets give " + (off[1] - off[0]));
        }
        return e;
    }

    private static long[] longs(Object v, String what, int length) {
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException(what + " missing or not an array");
        if (length >= 0 && l.size() != length) throw new IllegalArgumentException(what + " must have " + length + " elements, has " + l.size());
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Long x)) throw new IllegalArgumentException(what + " holds a non-integer " + l.get(i));
            r[i] = x;
        }
        return r;
    }

    /** The byte ranges must cover [0, dataBytes) exactly once: overlap, gaps and trailing bytes all mean corruption. */
    private static void checkTiling(List<Entry> entries, long dataBytes) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        Entry prev = null;
        for (Entry e : sorted) {
            if (e.begin() < at) {
                throw new IllegalArgumentException("tensors \"" + prev.name() + "\" and \"" + e.name() + "\" overlap (bytes "
                    + e.begin() + " to " + at + ")");
            }
            if (e.begin() > at) throw new IllegalArgumentException("gap in the data area: bytes " + at + " to " + e.begin() + " belong to no tensor");
            at = e.end();
            prev = e;
        }
        if (at != dataBytes) {
            throw new IllegalArgumentException("data area has " + dataBytes + " bytes but the tensors cover " + at);
        }
    }
}
