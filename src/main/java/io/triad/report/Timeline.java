package io.triad.report;

import io.triad.history.History;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A drill's failover timeline, drawn with JFreeChart as SVG: per node, when it held the VIP, when
 * its controller was active and when it answered health probes through the VIP; one lane of the
 * probes no node answered healthy; the faults' intervals shaded and named. Time is in seconds
 * from the first fault (from the first sample when there was none). Everything drawn comes from
 * the recorded history, nothing else.
 */
public final class Timeline {

    static final Color VIP = new Color(0x1f77b4);
    static final Color CONTROLLER = new Color(0xff7f0e);
    static final Color SERVES = new Color(0x2ca02c);
    static final Color UNANSWERED = new Color(0xd62728);
    static final Color FAULT = new Color(0x999999);

    /** A state holds from {@code from} to {@code to} on lane {@code lane}. */
    /** The name and media type of the timeline attached to a drill's scenario. */
    public static final String ATTACHMENT = "failover timeline";
    public static final String MEDIA_TYPE = "image/svg+xml";

    /** Seconds without a sample of a node after which its state is unknown, not carried over. */
    static final double GAP = 1.0;

    record Bar(int lane, double from, double to) { }

    /** What is drawn: the lanes top to bottom and the bars of each kind, in seconds from {@code zero}. */
    record Layout(Instant zero, List<String> lanes, Map<String, List<Bar>> bars, List<Bar> faults, List<String> faultNames) { }

    private Timeline() { }

    /** The timeline as an SVG document, {@code title} above it. */
    public static String svg(History history, String title) {
        Layout layout = layout(history);
        JFreeChart chart = chart(layout, title);
        int width = 960;
        int height = 140 + 26 * layout.lanes().size();
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(width, height));
        return g.getSVGDocument();
    }

    /** The lanes and bars of a history; package-private for the tests. */
    static Layout layout(History history) {
        List<History.Sample> samples = history.samples();
        List<History.Fault> faults = history.faults();
        List<History.Op> health = history.ops("health");
        Instant zero = faults.stream().map(History.Fault::start).min(Comparator.naturalOrder())
                .or(() -> samples.stream().map(History.Sample::start).min(Comparator.naturalOrder()))
                .or(() -> health.stream().map(History.Op::invoke).min(Comparator.naturalOrder()))
                .orElse(Instant.EPOCH);
        Instant end = latest(history);

        List<String> nodes = samples.stream().map(History.Sample::node).distinct().sorted().toList();
        List<String> lanes = new ArrayList<>();
        Map<String, List<Bar>> bars = new LinkedHashMap<>();
        bars.put("VIP held", new ArrayList<>());
        bars.put("controller active", new ArrayList<>());
        bars.put("answers health via the VIP", new ArrayList<>());
        bars.put("no healthy answer via the VIP", new ArrayList<>());
        for (String node : nodes) {
            List<History.Sample> mine = samples.stream().filter(s -> s.node().equals(node))
                    .sorted(Comparator.comparing(History.Sample::start)).toList();
            int vipLane = lanes.size();
            lanes.add(node + ": VIP");
            int controllerLane = lanes.size();
            lanes.add(node + ": controller");
            int servesLane = lanes.size();
            lanes.add(node + ": serves via VIP");
            bars.get("VIP held").addAll(spans(mine, History.Sample::vip, vipLane, zero, end));
            bars.get("controller active").addAll(spans(mine, History.Sample::controller, controllerLane, zero, end));
            bars.get("answers health via the VIP").addAll(probeSpans(health, op -> op.ok() && node.equals(op.node()),
                    servesLane, zero, end));
        }
        int unanswered = lanes.size();
        lanes.add("health via VIP: unanswered");
        bars.get("no healthy answer via the VIP").addAll(probeSpans(health, op -> !op.ok(), unanswered, zero, end));

        List<Bar> faultBars = new ArrayList<>();
        List<String> faultNames = new ArrayList<>();
        for (History.Fault f : faults) {
            faultBars.add(new Bar(-1, seconds(zero, f.start()), seconds(zero, f.end() == null ? end : f.end())));
            faultNames.add(f.name() + (f.target() == null || f.target().isEmpty() ? "" : " (" + f.target() + ")"));
        }
        return new Layout(zero, List.copyOf(lanes), bars, faultBars, faultNames);
    }

    /**
     * Maximal runs of samples where {@code state} holds; each sample holds from its midpoint to the
     * next one's, unless the next one came more than {@link #GAP} later: across such a gap (a frozen
     * or unreachable node) nothing is known, and nothing is drawn.
     */
    private static List<Bar> spans(List<History.Sample> samples, Predicate<History.Sample> state, int lane, Instant zero,
                                   Instant end) {
        List<Bar> out = new ArrayList<>();
        Double from = null;
        double last = 0;
        for (int i = 0; i < samples.size(); i++) {
            History.Sample s = samples.get(i);
            double at = seconds(zero, mid(s.start(), s.end()));
            if (from != null && at - last > GAP) {
                out.add(new Bar(lane, from, last));
                from = null;
            }
            if (state.test(s) && from == null) {
                from = at;
            } else if (!state.test(s) && from != null) {
                out.add(new Bar(lane, from, at));
                from = null;
            }
            last = at;
        }
        if (from != null) {
            History.Sample lastSample = samples.get(samples.size() - 1);
            out.add(new Bar(lane, from, Math.max(from, seconds(zero, lastSample.end()))));
        }
        return out;
    }

    /** Each matching probe holds from its invocation to the next probe's (the last one to its completion). */
    private static List<Bar> probeSpans(List<History.Op> probes, Predicate<History.Op> match, int lane, Instant zero,
                                        Instant end) {
        List<History.Op> sorted = probes.stream().sorted(Comparator.comparing(History.Op::invoke)).toList();
        List<Bar> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            History.Op op = sorted.get(i);
            if (!match.test(op)) {
                continue;
            }
            Instant until = i + 1 < sorted.size() ? sorted.get(i + 1).invoke() : op.complete() == null ? end : op.complete();
            double from = seconds(zero, op.invoke());
            double to = seconds(zero, until);
            Bar last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && from - last.to() < 1e-6) {
                out.set(out.size() - 1, new Bar(lane, last.from(), to)); // one bar for a run of probes
            } else {
                out.add(new Bar(lane, from, to));
            }
        }
        return out;
    }

    private static JFreeChart chart(Layout layout, String title) {
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        List<Color> colours = List.of(VIP, CONTROLLER, SERVES, UNANSWERED);
        for (Map.Entry<String, List<Bar>> kind : layout.bars().entrySet()) {
            XYIntervalSeries series = new XYIntervalSeries(kind.getKey());
            for (Bar b : kind.getValue()) {
                series.add((b.from() + b.to()) / 2, b.from(), b.to(), b.lane(), b.lane() - 0.32, b.lane() + 0.32);
            }
            data.addSeries(series);
        }
        XYBarRenderer renderer = new XYBarRenderer();
        renderer.setUseYInterval(true);
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        for (int i = 0; i < colours.size(); i++) {
            renderer.setSeriesPaint(i, colours.get(i));
        }
        NumberAxis time = new NumberAxis("seconds from the fault (" + layout.zero() + ")");
        time.setAutoRangeIncludesZero(true);
        SymbolAxis lanes = new SymbolAxis(null, layout.lanes().toArray(String[]::new));
        lanes.setInverted(true);
        lanes.setGridBandsVisible(false);
        XYPlot plot = new XYPlot(data, time, lanes, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xeeeeee));
        for (int i = 0; i < layout.faults().size(); i++) {
            Bar f = layout.faults().get(i);
            IntervalMarker marker = new IntervalMarker(f.from(), Math.max(f.to(), f.from() + 0.05));
            marker.setPaint(FAULT);
            marker.setAlpha(0.25f);
            marker.setOutlinePaint(FAULT);
            marker.setOutlineStroke(new BasicStroke(1f));
            plot.addDomainMarker(marker, Layer.BACKGROUND);
        }
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        StringBuilder shaded = new StringBuilder();
        for (int i = 0; i < layout.faults().size(); i++) {
            Bar f = layout.faults().get(i);
            shaded.append(shaded.length() == 0 ? "shaded: fault " : "; fault ").append(layout.faultNames().get(i))
                    .append(String.format(" from %.1f s to %.1f s", f.from(), f.to()));
        }
        chart.addSubtitle(new TextTitle(shaded.length() == 0 ? "no fault was injected" : shaded.toString(),
                new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        return chart;
    }

    private static Instant latest(History history) {
        Instant end = Instant.EPOCH;
        for (History.Sample s : history.samples()) {
            end = s.end().isAfter(end) ? s.end() : end;
        }
        for (History.Op op : history.ops()) {
            Instant t = op.complete() == null ? op.invoke() : op.complete();
            end = t.isAfter(end) ? t : end;
        }
        for (History.Fault f : history.faults()) {
            Instant t = f.end() == null ? f.start() : f.end();
            end = t.isAfter(end) ? t : end;
        }
        return end;
    }

    private static Instant mid(Instant a, Instant b) {
        return a.plus(Duration.between(a, b).dividedBy(2));
    }

    static double seconds(Instant zero, Instant t) {
        return Duration.between(zero, t).toNanos() / 1e9;
    }
}
