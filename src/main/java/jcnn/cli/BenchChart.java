package jcnn.cli;

import java.util.List;
import java.util.Locale;

/**
 * The bench chart as hand-written SVG: one row per network with one bar per engine (ours, then the
 * peer's), bar length the p50 latency and a thin whisker out to the p99, the values written beside
 * the bars and, with a peer, the ratio ours/peer at the right (green at or below 1, red above).
 * With a peer each row has its own scale (the slower p50 fills the row), since the networks' times
 * differ by 20x and only the pair is being compared; alone, all rows share one scale.
 */
final class BenchChart {
    private BenchChart() {}

    /** One network: per engine its p50 and p99 in ms (same order as the engine names). */
    record Row(String net, double[] p50, double[] p99) {}

    static final String[] COLORS = {"#2f6db3", "#e07b22"};
    private static final int W = 1000, LABEL = 190, BAR_MAX = 430, BAR_H = 20, GAP = 4, ROW_PAD = 14, TOP = 104;

    static String svg(String title, String subtitle, List<String> engines, List<Row> rows) {
        int e = engines.size();
        if (e < 1 || e > COLORS.length) throw new IllegalArgumentException("chart takes 1 or 2 engines, got " + e);
        boolean paired = e == 2;
        int rowH = e * BAR_H + (e - 1) * GAP + ROW_PAD;
        int h = TOP + rows.size() * rowH + 40;
        double global = 0;
        for (Row r : rows) for (double v : r.p50()) global = Math.max(global, v);

        StringBuilder s = new StringBuilder();
        s.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">\n", W, h, W, h));
        s.append(f("<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, h));
        s.append(f("<text x=\"16\" y=\"28\" font-size=\"18\" font-weight=\"bold\">%s</text>\n", esc(title)));
        s.append(f("<text x=\"16\" y=\"48\" fill=\"#555\">%s</text>\n", esc(subtitle)));
        int lx = 16;
        for (int k = 0; k < e; k++) {
            s.append(f("<rect x=\"%d\" y=\"62\" width=\"14\" height=\"14\" fill=\"%s\"/>\n", lx, COLORS[k]));
            String name = engines.get(k) + " p50";
            s.append(f("<text x=\"%d\" y=\"74\">%s</text>\n", lx + 20, esc(name)));
            lx += 40 + 8 * name.length();
        }
        s.append(f("<line x1=\"%d\" y1=\"69\" x2=\"%d\" y2=\"69\" stroke=\"#333\" stroke-width=\"1.5\"/>", lx, lx + 24));
        s.append(f("<text x=\"%d\" y=\"74\">whisker to p99</text>\n", lx + 30));
        s.append(f("<text x=\"%d\" y=\"74\" fill=\"#555\">%s</text>\n", lx + 150,
            esc(paired ? "each row on its own scale; lower is better" : "lower is better")));

        if (paired) s.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#555\">%s</text>\n", W - 16, TOP - 8,
            esc("ours / " + engines.get(1))));
        int y = TOP;
        for (Row r : rows) {
            double scale = paired ? Math.max(r.p50()[0], r.p50()[1]) : global;
            int mid = y + (e * BAR_H + (e - 1) * GAP) / 2;
            s.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-weight=\"bold\">%s</text>\n", LABEL - 10, mid + 5, esc(r.net())));
            for (int k = 0; k < e; k++) {
                int by = y + k * (BAR_H + GAP);
                double len = scale > 0 ? BAR_MAX * r.p50()[k] / scale : 0;
                double p99 = scale > 0 ? BAR_MAX * r.p99()[k] / scale : 0, whisker = Math.min(BAR_MAX * 1.25, p99);
                s.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n", LABEL, by, len, BAR_H, COLORS[k]));
                double wy = by + BAR_H / 2.0;
                if (whisker > len) {
                    s.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\" stroke-width=\"1.5\"/>\n", LABEL + len, wy, LABEL + whisker, wy));
                    if (whisker == p99) { // a cap at the p99; a whisker cut at the row's end has none
                        s.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#333\" stroke-width=\"1.5\"/>\n", LABEL + whisker, wy - 5, LABEL + whisker, wy + 5));
                    }
                }
                s.append(f("<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", LABEL + Math.max(len, whisker) + 8, wy + 4.5,
                    esc(f("%s ms  (p99 %s)", ms(r.p50()[k]), ms(r.p99()[k])))));
            }
            if (paired) {
                double ratio = r.p50()[0] / r.p50()[1];
                s.append(f("<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"16\" font-weight=\"bold\" fill=\"%s\">%sx</text>\n",
                    W - 16, mid + 6, ratio <= 1 ? "#1a7f37" : "#c62828", f("%.2f", ratio)));
            }
            y += rowH;
            s.append(f("<line x1=\"16\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e4e4e4\"/>\n", y - ROW_PAD / 2, W - 16, y - ROW_PAD / 2));
        }
        return s.append("</svg>\n").toString();
    }

    private static String ms(double v) { return v >= 100 ? f("%.0f", v) : v >= 10 ? f("%.1f", v) : f("%.2f", v); }

    private static String f(String fmt, Object... a) { return String.format(Locale.ROOT, fmt, a); }

    /** {@code s} with the five XML special characters escaped. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
    }
}
