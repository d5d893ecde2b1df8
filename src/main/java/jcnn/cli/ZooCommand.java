package jcnn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jcnn.graph.Graph;
import jcnn.models.Options;
import jcnn.models.Zoo;

/**
 * {@code jcnn zoo [--json]}: every network id with its options, parameters and MACs at its default
 * input size, one table per family; the option grids of MobileNet v1 (width x resolution) and
 * ShuffleNet v1 (width x groups) are laid out like the papers' tables.
 */
public final class ZooCommand {
    private ZooCommand() {}

    public static int run(String[] args, PrintStream out) {
        boolean json = false;
        for (String a : args) {
            if (a.equals("--json")) json = true;
            else throw new UserError("unknown option " + a + "; usage: zoo [--json]");
        }
        out.print(json ? json() : text());
        return 0;
    }

    static String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("Networks: bin/jcnn info ID[:key=value,...] [--size S]  e.g. mobilenet_v1:width=0.5,res=160,act=relu, shufflenet_v1:g=8,width=0.5\n");
        sb.append("Every id takes classes=N (1000 by default, 10 for the CIFAR nets). Params and MACs at the default input size.\n");
        Map<String, List<Zoo.Entry>> families = new LinkedHashMap<>();
        for (Zoo.Entry e : Zoo.entries()) families.computeIfAbsent(e.family(), f -> new ArrayList<>()).add(e);
        families.forEach((family, entries) -> {
            sb.append('\n').append(family).append('\n');
            sb.append(String.format("  %-22s %5s %14s %12s   %s%n", "id", "input", "params", "MACs", "options"));
            for (Zoo.Entry e : entries) {
                Graph g = Zoo.parse(e.id()).build();
                sb.append(String.format("  %-22s %5d %,14d %12s   %s%n", e.id(), e.size(), g.params(), human(g.macs()), Options.describe(e.options())));
            }
            switch (family) {
                case "MobileNetV1" -> mobileNetGrid(sb);
                case "ShuffleNetV1" -> shuffleNetGrid(sb);
                case "SqueezeNet" -> variants(sb, "squeezenet1_0:bypass=simple", "squeezenet1_0:bypass=complex",
                    "squeezenet1_1:bypass=simple", "squeezenet1_1:bypass=complex");
                default -> { }
            }
        });
        return sb.toString();
    }

    /** The paper's Tables 6 and 7 in one grid, then the ablations of Tables 4 and 5. */
    private static void mobileNetGrid(StringBuilder sb) {
        int[] res = {224, 192, 160, 128};
        sb.append("  width x resolution: MACs (params do not depend on the resolution)\n");
        sb.append(String.format("    %-6s %12s", "width", "params"));
        for (int r : res) sb.append(String.format(" %10s", "res=" + r));
        sb.append('\n');
        for (String w : new String[] {"1.0", "0.75", "0.5", "0.25"}) {
            sb.append(String.format("    %-6s %,12d", w, Zoo.build("mobilenet_v1:width=" + w).params()));
            for (int r : res) sb.append(String.format(" %10s", human(Zoo.build("mobilenet_v1:width=" + w + ",res=" + r).macs())));
            sb.append('\n');
        }
        variants(sb, "mobilenet_v1:conv=full", "mobilenet_v1:shallow=true", "mobilenet_v1:act=relu");
    }

    /** The paper's Table 2 layout: widths down, groups across; params and MACs in each cell. */
    private static void shuffleNetGrid(StringBuilder sb) {
        int[] groups = {1, 2, 3, 4, 8};
        sb.append("  width x groups: params / MACs (shuffle=false: the same counts without the shuffle)\n");
        sb.append(String.format("    %-6s", "width"));
        for (int g : groups) sb.append(String.format(" %20s", "g=" + g));
        sb.append('\n');
        for (String w : new String[] {"2.0", "1.5", "1.0", "0.5", "0.25"}) {
            sb.append(String.format("    %-6s", w + "x"));
            for (int g : groups) {
                Graph net = Zoo.build("shufflenet_v1:g=" + g + ",width=" + w);
                sb.append(String.format(" %20s", String.format("%.2fM / %s", net.params() / 1e6, human(net.macs()))));
            }
            sb.append('\n');
        }
    }

    private static void variants(StringBuilder sb, String... specs) {
        for (String s : specs) {
            Graph g = Zoo.build(s);
            sb.append(String.format("  %-28s %,14d %12s%n", s, g.params(), human(g.macs())));
        }
    }

    static String json() {
        List<String> items = new ArrayList<>();
        for (Zoo.Entry e : Zoo.entries()) {
            Graph g = Zoo.parse(e.id()).build();
            Json.Obj opts = new Json.Obj();
            e.options().forEach((k, v) -> opts.putRaw(k, Json.arrayOf(v.stream().map(Json::quote).toList())));
            items.add(new Json.Obj().put("id", e.id()).put("family", e.family()).put("description", e.description())
                .put("size", e.size()).put("params", g.params()).put("macs", g.macs()).put("options", opts).toString());
        }
        return Json.arrayOf(items) + "\n";
    }

    /** 2.834 G, 568.7 M, 40.5 M: four significant digits, as the papers print them. */
    static String human(long macs) {
        if (macs >= 1e9) return String.format("%.3f G", macs / 1e9);
        if (macs >= 1e8) return String.format("%.1f M", macs / 1e6);
        if (macs >= 1e7) return String.format("%.2f M", macs / 1e6);
        return String.format("%.3f M", macs / 1e6);
    }
}
