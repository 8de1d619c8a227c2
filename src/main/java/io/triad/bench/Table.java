package io.triad.bench;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The benchmark's table as text: the measures with median, spread and aim, then one row per drill. */
final class Table {

    /** One drill across the full runs: each column in milliseconds. */
    record DrillRow(String drill, Stats wall, Stats failover, Stats overhead, Stats faultHeld, Stats vipSampled,
                    Stats vipLogged, Stats sampledMinusLogged, Stats keepalivedMaster, String vipLogSource,
                    Map<String, Stats> phases) { }

    private Table() { }

    static String render(List<Bench.Measure> measures, List<DrillRow> drills, Instant at, Map<String, Object> machine) {
        StringBuilder out = new StringBuilder();
        out.append("triad-acceptance benchmark, ").append(at).append(", ").append(machine.get("cores")).append(" cores, ")
                .append(machine.get("memory_gib")).append(" GiB, ").append(machine.get("reps")).append(" repetition(s)")
                .append(", cold image build(s): ").append(machine.get("cold_reps")).append('\n');
        out.append(String.format("%-62s %-4s %9s %9s %9s  %-10s %s%n", "measure", "unit", "median", "min", "max", "aim", ""));
        String group = "";
        for (Bench.Measure m : measures) {
            if (!m.group().equals(group)) {
                group = m.group();
                out.append('\n');
            }
            Stats s = m.stats();
            out.append(String.format("%-62s %-4s %9s %9s %9s  %-10s %s%n", cut(m.name(), 62), m.unit(), num(s.median()),
                    num(s.min()), num(s.max()), m.aim(), m.met() == null ? (m.aim().isEmpty() ? "" : "no data")
                            : m.met() ? "met" : "NOT MET"));
        }
        if (!drills.isEmpty()) {
            out.append("\nDrills (full runs), median over the runs, milliseconds counted from the fault:\n");
            out.append(String.format("%-20s %9s %9s %9s %10s %11s %10s %9s %10s%n", "drill", "wall", "failover",
                    "overhead", "fault held", "VIP sampled", "VIP logged", "sampled-", "keepalived"));
            out.append(String.format("%-20s %9s %9s %9s %10s %11s %10s %9s %10s%n", "", "", "measured", "wall-fail",
                    "", "(recorder)", "(node log)", "logged", "MASTER"));
            for (DrillRow d : drills) {
                out.append(String.format("%-20s %9s %9s %9s %10s %11s %10s %9s %10s%n", cut(d.drill(), 20), num(d.wall().median()),
                        num(d.failover().median()), num(d.overhead().median()), num(d.faultHeld().median()),
                        num(d.vipSampled().median()), num(d.vipLogged().median()), num(d.sampledMinusLogged().median()),
                        num(d.keepalivedMaster().median())));
            }
            String source = drills.stream().map(DrillRow::vipLogSource).filter(s -> !s.isEmpty()).findFirst().orElse("");
            if (!source.isEmpty()) {
                out.append("VIP logged: when the ").append(source).append(" on the new holder logged that it added the VIP")
                        .append(source.equals("lease agent") ? " (under the lease, keepalived only elects: its MASTER"
                                + " transition comes before the lease can be taken over)" : "").append(".\n");
            }
            out.append("'-' where a drill moves no VIP (fail-closed, a JetStream node lost, slow routes).\n");
            out.append("\nDrills' wall time by phase (median, milliseconds; from each step's own duration):\n");
            out.append(String.format("%-20s", "drill"));
            ScenarioTimes.PHASES.forEach(p -> out.append(String.format(" %12s", cut(p.replaceFirst(":.*", ""), 12))));
            out.append('\n');
            for (DrillRow d : drills) {
                out.append(String.format("%-20s", cut(d.drill(), 20)));
                ScenarioTimes.PHASES.forEach(p -> out.append(String.format(" %12s", num(d.phases().getOrDefault(p, Stats.of(List.of())).median()))));
                out.append('\n');
            }
            out.append("phases: ").append(String.join("; ", ScenarioTimes.PHASES)).append(".\n");
        }
        return out.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.valueOf(Math.round(v)) : String.format("%.1f", v);
    }

    private static String cut(String s, int width) {
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }
}
