package jcnn.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command options: {@code --key value} pairs, {@code --flag} switches and positionals.
 * Unknown options and missing or malformed values are {@link UserError}s naming the option.
 */
final class CliArgs {
    private final String cmd;
    private final Map<String, String> values = new HashMap<>();
    private final List<String> positionals = new ArrayList<>();

    CliArgs(String cmd, String[] args, Set<String> valued, Set<String> flags) {
        this.cmd = cmd;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--")) {
                String key = a, val = null;
                int eq = a.indexOf('=');
                if (eq > 0) { key = a.substring(0, eq); val = a.substring(eq + 1); }
                if (flags.contains(key) && val == null) { values.put(key, "true"); continue; }
                if (!valued.contains(key)) throw new UserError("unknown option " + key + " (" + cmd + " takes " + String.join(" ", valued) + " " + String.join(" ", flags) + ")");
                if (val == null) {
                    if (i + 1 >= args.length) throw new UserError("option " + key + " needs a value");
                    val = args[++i];
                }
                values.put(key, val);
            } else {
                positionals.add(a);
            }
        }
    }

    List<String> positionals() { return positionals; }
    boolean flag(String key) { return values.containsKey(key); }
    String str(String key, String def) { return values.getOrDefault(key, def); }
    boolean has(String key) { return values.containsKey(key); }

    int integer(String key, int def, int min) {
        String v = values.get(key);
        if (v == null) return def;
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UserError("option " + key + " needs an integer, got '" + v + "'");
        }
        if (x < min) throw new UserError("option " + key + " must be >= " + min + ", got " + x);
        return x;
    }

    double number(String key, double def) {
        String v = values.get(key);
        if (v == null) return def;
        try {
            double x = Double.parseDouble(v);
            if (!(x > 0)) throw new UserError("option " + key + " must be > 0, got " + v);
            return x;
        } catch (NumberFormatException e) {
            throw new UserError("option " + key + " needs a number, got '" + v + "'");
        }
    }

    /** The device option: cpu (the default), emu or cuda (see {@link DeviceOption}). */
    String device() { return DeviceOption.parse(str("--device", "cpu")); }
}
