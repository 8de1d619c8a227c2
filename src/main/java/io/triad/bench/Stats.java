package io.triad.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Several repetitions of one measure: median and spread (minimum to maximum), never a single run. */
public record Stats(List<Double> samples) {

    public Stats {
        samples = List.copyOf(samples);
    }

    public static Stats of(List<? extends Number> values) {
        List<Double> out = new ArrayList<>();
        values.forEach(v -> out.add(v.doubleValue()));
        return new Stats(out);
    }

    public boolean empty() {
        return samples.isEmpty();
    }

    public double median() {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    public double min() {
        return samples.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public double max() {
        return samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** For the JSON file: every sample, the median, the minimum and the maximum. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", samples.size());
        m.put("median", round(median()));
        m.put("min", round(min()));
        m.put("max", round(max()));
        m.put("samples", samples.stream().map(Stats::round).toList());
        return m;
    }

    static Object round(double v) {
        return Double.isNaN(v) ? null : Math.round(v * 10) / 10.0;
    }
}
