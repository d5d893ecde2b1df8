package jcnn.cli;

/** A tiny JSON writer for the CLI's reports (objects, arrays, strings, numbers). */
final class JsonOut {
    private final StringBuilder sb = new StringBuilder();
    private boolean first = true;

    JsonOut obj() { sep(); sb.append('{'); first = true; return this; }
    JsonOut arr() { sep(); sb.append('['); first = true; return this; }
    JsonOut end() { return close('}'); }
    JsonOut endArr() { return close(']'); }

    private JsonOut close(char c) { sb.append(c); first = false; return this; }

    JsonOut key(String k) {
        sep();
        quote(k);
        sb.append(':');
        first = true; // the value follows without a comma
        return this;
    }

    JsonOut kv(String k, String v) { key(k); return value(v); }
    JsonOut kv(String k, long v) { key(k); sep(); sb.append(v); return this; }
    JsonOut kv(String k, double v) { key(k); return value(v); }

    JsonOut value(String v) { sep(); if (v == null) sb.append("null"); else quote(v); return this; }
    JsonOut value(double v) { sep(); sb.append(Double.isFinite(v) ? String.format(java.util.Locale.ROOT, "%.6g", v) : "null"); return this; }
    JsonOut value(long v) { sep(); sb.append(v); return this; }

    JsonOut array(int[] xs) { arr(); for (int x : xs) value(x); return endArr(); }

    private void sep() {
        if (!first) sb.append(',');
        first = false;
    }

    private void quote(String s) {
        sb.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> { if (c < 0x20) sb.append(String.format("\\u%04x", (int) c)); else sb.append(c); }
            }
        }
        sb.append('"');
    }

    @Override public String toString() { return sb.toString(); }
}
