package jcnn.cli;

import java.util.Collection;

/**
 * A few helpers to write JSON by hand (no library): string quoting and a small object builder that
 * keeps insertion order. Values are numbers, strings, booleans, nested builders or raw JSON text.
 */
public final class Json {
    private Json() {}

    /** {@code s} as a JSON string literal, with the escapes RFC 8259 requires. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A JSON array of integers, e.g. a shape: {@code [1,3,224,224]}. */
    public static String array(int... v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ",").append(v[i]);
        return sb.append(']').toString();
    }

    /** A JSON array of already-written JSON values. */
    public static String arrayOf(Collection<String> rawValues) { return "[" + String.join(",", rawValues) + "]"; }

    /** An object under construction: {@code new Json.Obj().put("params", 12).put("net", "x").toString()}. */
    public static final class Obj {
        private final StringBuilder sb = new StringBuilder("{");

        private Obj key(String k) {
            if (sb.length() > 1) sb.append(',');
            sb.append(quote(k)).append(':');
            return this;
        }

        public Obj put(String k, long v) { key(k).sb.append(v); return this; }
        public Obj put(String k, double v) {
            if (!Double.isFinite(v)) throw new IllegalArgumentException("JSON has no " + v + " (key " + k + ")");
            key(k).sb.append(v);
            return this;
        }
        public Obj put(String k, boolean v) { key(k).sb.append(v); return this; }
        public Obj put(String k, String v) { key(k).sb.append(v == null ? "null" : quote(v)); return this; }
        public Obj put(String k, Obj v) { key(k).sb.append(v); return this; }
        /** {@code rawJson} must already be valid JSON (an array, a nested object...). */
        public Obj putRaw(String k, String rawJson) { key(k).sb.append(rawJson); return this; }

        @Override public String toString() { return sb + "}"; }
    }
}
