package jcnn.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import jcnn.graph.Graph;
import jcnn.graph.Node;
import jcnn.models.Zoo;
import jcnn.ops.*;

/**
 * {@code jcnn info NET [--size S] [--json]}: the layer table of one network (name, op, output shape,
 * params, MACs) and its totals. NET is a zoo spec ({@code id[:k=v,...]}); S the square input size
 * (default: the net's own, 224 or 32 or its res option). With --json, one object with "net",
 * "input", "output", "params", "macs" and "layers".
 */
public final class InfoCommand {
    private InfoCommand() {}

    public static int run(String[] args, PrintStream out) {
        String net = null;
        Integer size = null;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--size" -> {
                    if (i + 1 >= args.length) throw new UserError("--size needs a value");
                    size = parseSize(args[++i]);
                }
                default -> {
                    if (args[i].startsWith("--")) throw new UserError("unknown option " + args[i] + "; usage: info NET [--size S] [--json]");
                    if (net != null) throw new UserError("one network at a time; got " + net + " and " + args[i]);
                    net = args[i];
                }
            }
        }
        if (net == null) throw new UserError("usage: info NET [--size S] [--json]; networks: " + String.join(", ", Zoo.ids()));
        Graph g = build(net, size);
        out.println(json ? json(g) : table(g));
        return 0;
    }

    /** The graph of a spec at a size (null: its default), user errors as {@link UserError}. */
    static Graph build(String spec, Integer size) {
        try {
            Zoo.Spec s = Zoo.parse(spec);
            return size == null ? s.build() : s.build(size);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    static int parseSize(String s) {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1) return v;
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new UserError("--size must be a positive integer, got '" + s + "'");
    }

    static String table(Graph g) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "op", "output", "params", "MACs"});
        for (Node n : g.nodes()) {
            rows.add(new String[] {n.name(), describe(n.op()), n.shape().toString(),
                n.op().params() == 0 ? "" : String.format("%,d", n.op().params()),
                g.macs(n) == 0 ? "" : String.format("%,d", g.macs(n))});
        }
        int[] w = new int[5];
        for (String[] r : rows) for (int i = 0; i < 5; i++) w[i] = Math.max(w[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        sb.append(g.name()).append("  input ").append(g.inputShape()).append(" -> ").append(g.outputShape())
          .append(", ").append(g.nodes().size()).append(" nodes\n");
        for (String[] r : rows) {
            sb.append(String.format("%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %" + w[3] + "s  %" + w[4] + "s%n",
                r[0], r[1], r[2], r[3], r[4]));
        }
        sb.append(String.format("total: %,d params, %,d MACs (%s)", g.params(), g.macs(), ZooCommand.human(g.macs())));
        return sb.toString();
    }

    static String json(Graph g) {
        List<String> layers = new ArrayList<>();
        for (Node n : g.nodes()) {
            layers.add(new Json.Obj().put("name", n.name()).put("op", describe(n.op())).putRaw("shape", Json.array(n.shape().dims()))
                .put("params", n.op().params()).put("macs", g.macs(n)).toString());
        }
        return new Json.Obj().put("net", g.name()).putRaw("input", Json.array(g.inputShape().dims()))
            .putRaw("output", Json.array(g.outputShape().dims())).put("params", g.params()).put("macs", g.macs())
            .putRaw("layers", Json.arrayOf(layers)).toString();
    }

    /** One short line per op: its kind and the hyper-parameters that matter for the table. */
    static String describe(Op op) {
        return switch (op) {
            case Conv2d c -> (c.isDepthwise() ? "dwconv " : "conv ") + c.kernel() + "x" + c.kernel() + "/" + c.stride()
                + (c.pad() > 0 ? " p" + c.pad() : "") + (c.groups() > 1 && !c.isDepthwise() ? " g" + c.groups() : "")
                + " " + c.inC() + "->" + c.outC() + (c.bias() ? " +bias" : "");
            case BatchNorm b -> "batchnorm " + b.channels();
            case Act a -> a.act().name().toLowerCase();
            case Add a -> a.act() == Activation.NONE ? "add" : "add+" + a.act().name().toLowerCase();
            case Concat c -> "concat";
            case Slice s -> "slice [" + s.start() + "," + (s.start() + s.count()) + ")";
            case ChannelShuffle s -> "shuffle g" + s.groups();
            case MaxPool p -> "maxpool " + p.kernel() + "/" + p.stride() + (p.pad() > 0 ? " p" + p.pad() : "") + (p.ceil() ? " ceil" : "");
            case AvgPool p -> "avgpool " + p.kernel() + "/" + p.stride() + (p.pad() > 0 ? " p" + p.pad() : "") + (p.ceil() ? " ceil" : "");
            case GlobalAvgPool p -> "global_avgpool";
            case Linear l -> "linear " + l.in() + "->" + l.out() + (l.bias() ? " +bias" : "");
            case SqueezeExcite e -> "se " + e.channels() + "->" + e.reduced() + "->" + e.channels();
            default -> op.kind();
        };
    }
}
