package jcnn.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The options of one network id, parsed from the CLI syntax {@code id:key=value,key=value}
 * (e.g. {@code mobilenet_v1:width=0.5,res=160,act=relu}). Every key must be one the id declares and
 * every value one of the values it lists ({@link #ANY_POSITIVE_INT} admits any integer >= 1), so a
 * typo fails with a message naming the valid choices instead of silently building the default.
 */
public final class Options {
    /** Marker in a list of allowed values: any integer >= 1 (e.g. the number of classes). */
    public static final String ANY_POSITIVE_INT = "<int>";

    private final String id;
    private final Map<String, String> values;

    private Options(String id, Map<String, String> values) {
        this.id = id;
        this.values = values;
    }

    /**
     * Parses {@code text} ("k=v,k=v", possibly empty) against {@code allowed} (key -> admitted values,
     * the first being the default). Unknown keys or values throw IllegalArgumentException listing the choices.
     */
    public static Options parse(String id, String text, Map<String, List<String>> allowed) {
        Map<String, String> v = new TreeMap<>();
        if (text != null && !text.isBlank()) {
            for (String kv : text.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException(id + ": option '" + kv + "' is not key=value; options: " + describe(allowed));
                String k = kv.substring(0, eq).trim(), val = kv.substring(eq + 1).trim();
                List<String> ok = allowed.get(k);
                if (ok == null) throw new IllegalArgumentException(id + ": unknown option '" + k + "'; options: " + describe(allowed));
                String canonical = canonical(ok, val);
                if (canonical == null) throw new IllegalArgumentException(id + ": option " + k + "=" + val + " is not one of " + show(ok));
                val = canonical;
                if (v.put(k, val) != null) throw new IllegalArgumentException(id + ": option " + k + " given twice");
            }
        }
        Map<String, String> all = new LinkedHashMap<>();
        allowed.forEach((k, ok) -> all.put(k, v.getOrDefault(k, ok.get(0))));
        return new Options(id, all);
    }

    /** The listed value {@code val} stands for (width=1 is width=1.0), {@code val} itself for a free integer, or null. */
    private static String canonical(List<String> ok, String val) {
        if (ok.contains(val)) return val;
        // numeric values compare by value, so width=1 and width=1.0 are the same option
        for (String o : ok) {
            try {
                if (!o.equals(ANY_POSITIVE_INT) && Double.parseDouble(o) == Double.parseDouble(val)) return o;
            } catch (NumberFormatException ignored) {
                // not numeric: only exact matches count
            }
        }
        if (ok.contains(ANY_POSITIVE_INT)) {
            try {
                int v = Integer.parseInt(val);
                return v >= 1 ? String.valueOf(v) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static String show(List<String> ok) {
        return String.join("|", ok.stream().map(o -> o.equals(ANY_POSITIVE_INT) ? "N>=1" : o).toList());
    }

    /** "key=a|b|c (default a), ..." for error messages and the zoo listing. */
    public static String describe(Map<String, List<String>> allowed) {
        if (allowed.isEmpty()) return "(none)";
        StringBuilder sb = new StringBuilder();
        allowed.forEach((k, ok) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(show(ok)));
        return sb.toString();
    }

    public String id() { return id; }
    public String get(String key) {
        String v = values.get(key);
        if (v == null) throw new IllegalArgumentException(id + ": no option " + key);
        return v;
    }
    public int integer(String key) { return Integer.parseInt(get(key)); }
    public double number(String key) { return Double.parseDouble(get(key)); }
    public boolean flag(String key) { return Boolean.parseBoolean(get(key)); }
    /** Every option with its value, defaults included. */
    public Map<String, String> values() { return java.util.Collections.unmodifiableMap(values); }
}
