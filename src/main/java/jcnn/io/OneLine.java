package jcnn.io;

/**
 * Error messages that quote a file's own strings (tensor, node and value names) must stay on one
 * line whatever those strings hold: control characters are escaped and very long messages cut.
 */
public final class OneLine {
    private OneLine() {}

    static final int MAX = 1000;

    /** {@code s} with CR, LF, tabs and other control characters written as {@code \n}, {@code \\u0007}, ... */
    public static String of(String s) {
        if (s == null) return "null";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != 0x7F && c != 0x2028 && c != 0x2029 && c != 0x85) {
                if (b != null) b.append(c);
                continue;
            }
            if (b == null) b = new StringBuilder(s.length() + 16).append(s, 0, i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> b.append(String.format("\\u%04x", (int) c));
            }
        }
        String r = b == null ? s : b.toString();
        return r.length() <= MAX ? r : r.substring(0, MAX) + "... (" + r.length() + " characters)";
    }
}
