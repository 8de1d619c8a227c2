package io.triad.zone;

import io.triad.check.DualActive;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.probe.IpAddr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Samples, in the background and as fast as one SSH round trip allows, whether each of some hosts
 * holds the VIP and runs the controller. One thread per host; each sample carries the instants
 * its command started and ended, so a checker can order them. Not recorded as evidence command
 * by command: the samples themselves are the record.
 */
public final class Sampler implements AutoCloseable {

    private final List<DualActive.Sample> samples = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    private Sampler() { }

    public static Sampler start(List<Host> hosts, String vip, String controllerUnit) {
        Sampler s = new Sampler();
        String command = "ip -o -4 addr show; echo '#state'; systemctl is-active " + controllerUnit;
        for (Host h : hosts) {
            Thread t = new Thread(() -> {
                while (s.running) {
                    Instant start = Instant.now();
                    CommandResult r;
                    try {
                        r = h.execUnrecorded(command, Duration.ofSeconds(5));
                    } catch (RuntimeException e) {
                        continue; // an unreachable moment is no sample
                    }
                    Instant end = Instant.now();
                    String out = r.stdout();
                    int mark = out.indexOf("#state");
                    String state = mark < 0 ? "" : out.substring(mark + "#state".length()).strip();
                    s.samples.add(new DualActive.Sample(h.name(), start, end, IpAddr.holds(out, vip), state.equals("active")));
                }
            }, "sampler-" + h.name());
            t.setDaemon(true);
            t.start();
            s.threads.add(t);
        }
        return s;
    }

    /** Stops sampling and returns every sample, in the order they ended. */
    public List<DualActive.Sample> stop() {
        running = false;
        for (Thread t : threads) {
            try {
                t.join(6000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (samples) {
            List<DualActive.Sample> out = new ArrayList<>(samples);
            out.sort(java.util.Comparator.comparing(DualActive.Sample::end));
            return out;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
