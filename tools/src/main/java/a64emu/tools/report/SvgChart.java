package a64emu.tools.report;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One chart of the report as inline SVG, drawn over time: stacked areas, lines, vertical
 * markers with labels (the kills) and bands in strips under the axis (the reclaim bursts).
 * The output is well-formed XML in the SVG namespace, so a browser draws it inside HTML and
 * an XML parser reads it. Each drawn series carries {@code data-series} (its key) and
 * {@code data-label}; the root carries the plot's geometry for the tooltips' script.
 */
final class SvgChart {
    static final int WIDTH = 1200;
    private static final int LEFT = 70;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int AXIS = 26;
    private static final int STRIP = 12;
    /** The width of a marker label's character, about, in the 11 px bold of the style sheet. */
    private static final double LABEL_CHAR = 6.6;

    private final String id;
    private final int plotHeight;
    private final double t0;
    private final double t1;
    private final double yMax;
    private final String yUnit;
    private final String[] strips;
    private final StringBuilder body = new StringBuilder();
    private final StringBuilder overlay = new StringBuilder();
    private final Map<String, String> data = new LinkedHashMap<>();
    /** Rows of marker labels: a label that would overlap the one before it takes the next row. */
    private static final int LABEL_ROWS = 6;
    /** Where the last marker label of each row ends. */
    private final double[] labelEnds = new double[LABEL_ROWS];

    /**
     * @param t0 seconds at the left edge, {@code t1} at the right
     * @param yMax the value at the top (the bottom is 0)
     * @param strips names of the strips under the time axis (may be none)
     */
    SvgChart(String id, int plotHeight, double t0, double t1, double yMax, String yUnit, String... strips) {
        this.id = id;
        this.plotHeight = plotHeight;
        this.t0 = t0;
        this.t1 = t1 > t0 ? t1 : t0 + 1;
        this.yMax = yMax > 0 ? yMax : 1;
        this.yUnit = yUnit;
        this.strips = strips;
        java.util.Arrays.fill(labelEnds, Double.NEGATIVE_INFINITY);
        grid();
    }

    private int plotWidth() {
        return WIDTH - LEFT - RIGHT;
    }

    private int height() {
        return TOP + plotHeight + AXIS + strips.length * STRIP + (strips.length > 0 ? 6 : 0);
    }

    double x(double seconds) {
        return LEFT + (seconds - t0) / (t1 - t0) * plotWidth();
    }

    double y(double value) {
        return TOP + plotHeight - Math.min(value, yMax * 1.02) / yMax * plotHeight;
    }

    /** An attribute on the root element ({@code data-NAME}). */
    void data(String name, String value) {
        data.put("data-" + name, value);
    }

    /** A step of 1, 2 or 5 times a power of ten, giving about {@code count} steps over {@code range}. */
    static double niceStep(double range, int count) {
        double raw = range / count;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / p;
        return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
    }

    private void grid() {
        double yStep = niceStep(yMax, 5);
        for (double v = 0; v <= yMax * 1.0001; v += yStep) {
            double yy = y(v);
            body.append(String.format(Locale.ROOT,
                    "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                            + "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT, yy, LEFT + plotWidth(), yy, LEFT - 6, yy + 4, number(v, yStep)));
        }
        body.append(String.format(Locale.ROOT,
                "<text class=\"unit\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" "
                        + "transform=\"rotate(-90 %d %d)\">%s</text>\n",
                14, TOP + plotHeight / 2, 14, TOP + plotHeight / 2, Html.escape(yUnit)));
        double tStep = niceStep(t1 - t0, 12);
        double base = TOP + plotHeight;
        for (double t = Math.ceil(t0 / tStep) * tStep; t <= t1 + 1e-9; t += tStep) {
            double xx = x(t);
            body.append(String.format(Locale.ROOT,
                    "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\"/>"
                            + "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s s</text>\n",
                    xx, TOP, xx, base, xx, base + 16, number(t, tStep)));
        }
        body.append(String.format(Locale.ROOT, "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n",
                LEFT, TOP, plotWidth(), plotHeight));
        for (int i = 0; i < strips.length; i++) {
            body.append(String.format(Locale.ROOT,
                    "<text class=\"strip\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                    LEFT - 6, stripTop(i) + STRIP - 3, Html.escape(strips[i])));
        }
    }

    private int stripTop(int row) {
        return TOP + plotHeight + AXIS + row * STRIP;
    }

    private static String number(double v, double step) {
        return step >= 1 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%." + (int) Math.ceil(-Math.log10(step)) + "f", v);
    }

    /** A filled area between {@code lower} and {@code upper} at times {@code t} (seconds). */
    void area(String series, String label, String color, double[] t, double[] lower, double[] upper) {
        StringBuilder d = new StringBuilder();
        for (int i = 0; i < t.length; i++) {
            d.append(i == 0 ? 'M' : 'L').append(point(t[i], upper[i]));
        }
        for (int i = t.length - 1; i >= 0; i--) {
            d.append('L').append(point(t[i], lower[i]));
        }
        if (t.length > 0) {
            d.append('Z');
        }
        body.append("<path class=\"series area\" data-series=\"").append(Html.escape(series))
                .append("\" data-label=\"").append(Html.escape(label)).append("\" fill=\"").append(color)
                .append("\" d=\"").append(d).append("\"/>\n");
    }

    /**
     * A line through the values at times {@code t}; NaN values are gaps. {@code extra} is
     * more attributes, written as they are.
     */
    void line(String series, String label, String color, double[] t, double[] v, String dash, String extra) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < t.length; i++) {
            if (Double.isNaN(v[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? 'L' : 'M').append(point(t[i], v[i]));
            pen = true;
        }
        body.append("<path class=\"series line\" data-series=\"").append(Html.escape(series))
                .append("\" data-label=\"").append(Html.escape(label)).append("\" stroke=\"").append(color)
                .append('"');
        if (dash != null) {
            body.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        if (extra != null) {
            body.append(' ').append(extra);
        }
        body.append(" d=\"").append(d).append("\"/>\n");
    }

    /** A horizontal reference line at {@code value}, labelled at its right end. */
    void reference(double value, String label) {
        if (value > yMax) {
            return;
        }
        double yy = y(value);
        body.append(String.format(Locale.ROOT,
                "<line class=\"reference\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                        + "<text class=\"reference-label\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                LEFT, yy, LEFT + plotWidth(), yy, LEFT + plotWidth() - 4, yy - 4, Html.escape(label)));
    }

    /**
     * A vertical line at {@code seconds} across the plot with {@code label} near the top, in
     * the first row of labels where it overlaps none before it; {@code attrs} are the group's
     * attributes. Markers must come in time order.
     */
    void marker(double seconds, String label, String title, String cssClass, String attrs) {
        double xx = x(seconds);
        double width = LABEL_CHAR * label.length();
        // Right of the line unless that runs off the plot.
        boolean right = xx + 4 + width > LEFT + plotWidth();
        double from = right ? xx - 4 - width : xx + 4;
        int row = 0;
        while (row < labelEnds.length - 1 && from < labelEnds[row] + 6) {
            row++;
        }
        labelEnds[row] = from + width;
        double ty = TOP + 14 + row * 14;
        overlay.append("<g class=\"").append(cssClass).append("\" ").append(attrs).append('>')
                .append("<title>").append(Html.escape(title)).append("</title>")
                .append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>", xx, TOP, xx,
                        TOP + plotHeight))
                .append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                        right ? xx - 4 : xx + 4, ty, right ? "end" : "start", Html.escape(label)))
                .append("</g>\n");
    }

    /** A stretch [from, to] in strip {@code row} under the time axis. */
    void band(double from, double to, int row, String cssClass, String title) {
        double x0 = x(from);
        double w = Math.max(1.5, x(to) - x0);
        overlay.append(String.format(Locale.ROOT,
                "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>%s</title></rect>\n",
                cssClass, x0, stripTop(row) + 1, w, STRIP - 2, Html.escape(title)));
    }

    private String point(double t, double v) {
        return String.format(Locale.ROOT, "%.1f,%.1f", x(t), y(v));
    }

    String svg() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"%s\" width=\"%d\" height=\"%d\" "
                        + "viewBox=\"0 0 %d %d\" data-left=\"%d\" data-right=\"%d\" data-top=\"%d\" data-bottom=\"%d\" "
                        + "data-t0=\"%.6f\" data-t1=\"%.6f\"",
                id, WIDTH, height(), WIDTH, height(), LEFT, LEFT + plotWidth(), TOP, TOP + plotHeight, t0, t1));
        for (Map.Entry<String, String> e : data.entrySet()) {
            s.append(' ').append(e.getKey()).append("=\"").append(Html.escape(e.getValue())).append('"');
        }
        s.append(">\n").append(body).append(overlay);
        s.append(String.format(Locale.ROOT,
                "<line class=\"cursor\" x1=\"0\" y1=\"%d\" x2=\"0\" y2=\"%d\" visibility=\"hidden\"/>\n", TOP,
                TOP + plotHeight));
        return s.append("</svg>\n").toString();
    }
}
