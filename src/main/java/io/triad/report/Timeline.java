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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A drill's failover timeline, drawn with JFreeChart as SVG: per node, when it held each of the
 * zone's exclusive resources (the profile's: the VIP and the active controller, a leader) and when it answered
 * the profile's client operations (health probes through the VIP, authorizations); one lane of those no node answered well; the faults'
 * intervals shaded and named; on each node's lane of the first resource,
 * the transitions the node logged itself (the profile's own lines, such as the BSFG triad's
 * keepalived states and lease grants, and systemd's: a diamond and a short label each). Time is in seconds
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
    record Layout(Instant zero, List<String> lanes, Map<String, List<Bar>> bars, List<Bar> faults, List<String> faultNames,
                  List<Event> events) { }

    /** A transition the node logged itself, on its VIP lane. */
    record Event(int lane, double at, String label) { }

    static final Color LOGGED = new Color(0x222222);

    /** At most this many of the nodes' own transitions are listed under the chart (all are numbered in it). */
    static final int MAX_EVENTS_LISTED = 24;

    /**
     * The short label of a node's own log line, or null for lines the timeline leaves out: the
     * profile's own lines first ({@code ownLines}, the profile's {@link io.triad.env.Profile#logLabels}),
     * then systemd's (a unit started, stopped, its main process exited), which every profile's nodes log.
     */
    static String label(History.Log log, Function<History.Log, String> ownLines) {
        String own = ownLines.apply(log);
        if (own != null) {
            return own;
        }
        String m = log.message();
        java.util.regex.Matcher exited = UNIT_EXITED.matcher(m);
        if (exited.find()) {
            return exited.group(1) + " exited (" + exited.group(2) + ")";
        }
        java.util.regex.Matcher unit = UNIT_STARTED_STOPPED.matcher(m);
        if (unit.find()) {
            return unit.group(2) + " " + unit.group(1).toLowerCase();
        }
        return null;
    }

    private static final java.util.regex.Pattern UNIT_EXITED = java.util.regex.Pattern.compile(
            "(\\S+)\\.service: Main process exited, code=\\w+, status=(\\S+)");
    private static final java.util.regex.Pattern UNIT_STARTED_STOPPED = java.util.regex.Pattern.compile(
            "^(Started|Stopped) (\\S+)\\.service");

    private Timeline() { }

    /** The timeline as an SVG document, {@code title} above it. */
    public static String svg(History history, List<History.Resource> resources, History.Serving serving,
                             Function<History.Log, String> ownLines, String title) {
        Layout layout = layout(history, resources, serving, ownLines);
        JFreeChart chart = chart(layout, title);
        int width = 960;
        int listed = layout.events().isEmpty() ? 0 : 2 + Math.min(layout.events().size(), MAX_EVENTS_LISTED);
        int height = 140 + 26 * layout.lanes().size() + 14 * listed;
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(width, height));
        return g.getSVGDocument();
    }

    /** The lanes and bars of a history; package-private for the tests. */
    static Layout layout(History history, List<History.Resource> resources, History.Serving serving, Function<History.Log, String> ownLines) {
        List<History.Sample> samples = history.samples();
        List<History.Fault> faults = history.faults();
        List<History.Op> health = history.ops(serving.op());
        Instant zero = faults.stream().map(History.Fault::start).min(Comparator.naturalOrder())
                .or(() -> samples.stream().map(History.Sample::start).min(Comparator.naturalOrder()))
                .or(() -> health.stream().map(History.Op::invoke).min(Comparator.naturalOrder()))
                .orElse(Instant.EPOCH);
        Instant end = latest(history);

        List<String> nodes = samples.stream().map(History.Sample::node).distinct().sorted().toList();
        List<String> lanes = new ArrayList<>();
        Map<String, List<Bar>> bars = new LinkedHashMap<>();
        resources.forEach(r -> bars.put(r.held(), new ArrayList<>()));
        bars.put(serving.answered(), new ArrayList<>());
        bars.put(serving.none(), new ArrayList<>());
        for (String node : nodes) {
            List<History.Sample> mine = samples.stream().filter(s -> s.node().equals(node))
                    .sorted(Comparator.comparing(History.Sample::start)).toList();
            for (History.Resource r : resources) {
                int lane = lanes.size();
                lanes.add(node + ": " + r.lane());
                bars.get(r.held()).addAll(spans(mine, x -> x.holds(r.name()), lane, zero, end));
            }
            int servesLane = lanes.size();
            lanes.add(node + ": " + serving.lane());
            bars.get(serving.answered()).addAll(probeSpans(health, op -> op.ok() && node.equals(op.node()),
                    servesLane, zero, end));
        }
        int unanswered = lanes.size();
        lanes.add(serving.noneLane());
        bars.get(serving.none()).addAll(probeSpans(health, op -> !op.ok(), unanswered, zero, end));

        List<Event> events = new ArrayList<>();
        for (History.Log log : history.logs()) {
            int lane = resources.isEmpty() ? -1 : lanes.indexOf(log.node() + ": " + resources.get(0).lane()); // the first resource's lane
            String label = label(log, ownLines);
            if (lane >= 0 && label != null) {
                events.add(new Event(lane, seconds(zero, log.at()), label));
            }
        }

        List<Bar> faultBars = new ArrayList<>();
        List<String> faultNames = new ArrayList<>();
        for (History.Fault f : faults) {
            faultBars.add(new Bar(-1, seconds(zero, f.start()), seconds(zero, f.end() == null ? end : f.end())));
            faultNames.add(f.name() + (f.target() == null || f.target().isEmpty() ? "" : " (" + f.target() + ")"));
        }
        events.sort(Comparator.comparingDouble(Event::at));
        return new Layout(zero, List.copyOf(lanes), bars, faultBars, faultNames, List.copyOf(events));
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
        List<Color> palette = List.of(VIP, CONTROLLER, new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf));
        List<Color> colours = new ArrayList<>(); // the exclusive resources' series first, then the two of the health probes
        for (int i = 0; i < layout.bars().size() - 2; i++) {
            colours.add(palette.get(i % palette.size()));
        }
        colours.addAll(List.of(SERVES, UNANSWERED));
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
        lanes.setAutoRange(false);
        lanes.setRange(-0.95, layout.lanes().size() - 0.5); // room above the first lane for the logged numbers
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
        if (!layout.events().isEmpty()) {
            org.jfree.data.xy.XYSeriesCollection logged = new org.jfree.data.xy.XYSeriesCollection();
            org.jfree.data.xy.XYSeries points = new org.jfree.data.xy.XYSeries("logged by the node",
                    false, true);
            Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
            for (Event e : layout.events()) {
                points.add(e.at(), e.lane() - 0.36);
            }
            for (Map.Entry<Double, List<Integer>> group : numberGroups(layout.events()).entrySet()) {
                Event first = layout.events().get(group.getValue().get(0) - 1);
                org.jfree.chart.annotations.XYTextAnnotation number = new org.jfree.chart.annotations.XYTextAnnotation(
                        numbers(group.getValue()), first.at(), first.lane() - 0.46);
                number.setFont(small);
                number.setPaint(LOGGED);
                number.setTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
                plot.addAnnotation(number);
            }
            logged.addSeries(points);
            org.jfree.chart.renderer.xy.XYLineAndShapeRenderer diamonds = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(
                    false, true);
            diamonds.setSeriesPaint(0, LOGGED);
            diamonds.setSeriesShape(0, org.jfree.chart.util.ShapeUtils.createDiamond(4f));
            plot.setDataset(1, logged);
            plot.setRenderer(1, diamonds);
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
        if (!layout.events().isEmpty()) {
            StringBuilder logged = new StringBuilder("logged by the nodes (the numbered diamonds):");
            int shown = Math.min(layout.events().size(), MAX_EVENTS_LISTED);
            for (int i = 0; i < shown; i++) {
                Event e = layout.events().get(i);
                String lane = layout.lanes().get(e.lane());
                logged.append('\n').append(i + 1).append(": ").append(lane, 0, lane.indexOf(':'))
                        .append(String.format(" %s at %.2f s", e.label(), e.at()));
            }
            if (shown < layout.events().size()) {
                logged.append("\n... and ").append(layout.events().size() - shown).append(" more in the drill's history");
            }
            TextTitle list = new TextTitle(logged.toString(), new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            list.setPosition(org.jfree.chart.ui.RectangleEdge.BOTTOM);
            list.setHorizontalAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
            list.setTextAlignment(org.jfree.chart.ui.HorizontalAlignment.LEFT);
            list.setPadding(new org.jfree.chart.ui.RectangleInsets(4, 12, 4, 4));
            list.setMaximumLinesToDisplay(MAX_EVENTS_LISTED + 2);
            chart.addSubtitle(list);
        }
        return chart;
    }

    /**
     * The 1-based numbers of the events, grouped where one label would overwrite the next: events
     * on the same lane less than 0.4 s after the group's first share one label ("3-5", "8, 10"),
     * keyed by the group's first event's time and lane.
     */
    static Map<Double, List<Integer>> numberGroups(List<Event> events) {
        Map<Double, List<Integer>> groups = new LinkedHashMap<>();
        Map<Integer, Event> groupStart = new LinkedHashMap<>();
        Map<Integer, Double> groupKey = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            Event start = groupStart.get(e.lane());
            if (start == null || e.at() - start.at() >= 0.4) {
                groupStart.put(e.lane(), e);
                groupKey.put(e.lane(), e.lane() * 1e6 + e.at());
                groups.put(groupKey.get(e.lane()), new ArrayList<>());
            }
            groups.get(groupKey.get(e.lane())).add(i + 1);
        }
        return groups;
    }

    /** "3", "3-5" for a run, "8, 10" otherwise. */
    static String numbers(List<Integer> n) {
        boolean run = n.size() > 2 && n.get(n.size() - 1) - n.get(0) == n.size() - 1;
        return run ? n.get(0) + "-" + n.get(n.size() - 1)
                : n.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
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
