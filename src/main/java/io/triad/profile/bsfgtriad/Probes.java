package io.triad.profile.bsfgtriad;

import io.triad.probe.IpAddr;
import io.triad.tech.nats.JetStreamStatus;
import io.triad.probe.Listeners;
import io.triad.probe.Tls;

import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.zone.Zone;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Read-only observations of a zone. Each reads what the runbook's method reads (ip addr, systemctl,
 * ss -tlnp, /jsz, the health endpoint) and leaves the raw output in the zone's evidence.
 */
public final class Probes {

    private final Zone zone;
    private HttpClient https;

    public Probes(Zone zone) {
        this.zone = zone;
    }

    public String vip() {
        return zone.env().vip().address().toString();
    }

    /** The hosts that hold the VIP right now (one in a healthy zone). */
    public List<Host> vipHolders() {
        if (zone.planning()) { // a dry run plans for the steady state, in which the first VIP node holds it
            zone.vipHosts().forEach(this::holdsVip);
            return zone.vipHosts().isEmpty() ? List.of() : List.of(zone.vipHosts().get(0));
        }
        List<Host> vipHosts = zone.vipHosts();
        List<Boolean> holds = zone.onEach(vipHosts, this::holdsVip); // asked of every VIP node at once
        List<Host> holders = new java.util.ArrayList<>();
        for (int i = 0; i < vipHosts.size(); i++) {
            if (holds.get(i)) {
                holders.add(vipHosts.get(i));
            }
        }
        return holders;
    }

    /**
     * Who answers for the VIP on the wire, asked from {@code from} (a host that does not hold it): the
     * MAC addresses (lower case) that answer {@code arping}'s requests. Not what the hosts say they
     * hold: a machine the environment does not name, or one that answers for an address it does not
     * show, answers too.
     */
    public java.util.Set<String> vipAnswerers(Host from) {
        String vip = vip();
        CommandResult r = from.exec(from.asRoot("dev=$(ip -o route get " + vip + " | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p'); "
                + "arping -c 3 -w 4 -I \"$dev\" " + vip + " 2>&1; true"));
        java.util.Set<String> macs = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("reply from \\S+ \\[([0-9A-Fa-f:]{17})\\]").matcher(r.stdout());
        while (m.find()) {
            macs.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        return macs;
    }

    /** The MAC addresses of {@code host}'s interfaces (lower case). */
    public java.util.Set<String> macs(Host host) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String mac : host.exec("cat /sys/class/net/*/address 2>/dev/null; true").stdout().split("\\s+")) {
            if (!mac.isBlank()) {
                out.add(mac.strip().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * {@code mac} named by the zone's host (node or support host) whose interface has it, or as "an
     * unknown machine": asked of every host, so only on the way to a failure (a host cut off makes it slow).
     */
    public String macOwner(String mac) {
        List<Host> all = new java.util.ArrayList<>(zone.hosts());
        all.addAll(zone.supportHosts());
        List<java.util.Set<String>> each = zone.onEach(all, this::macs);
        for (int i = 0; i < all.size(); i++) {
            if (each.get(i).contains(mac)) {
                return all.get(i).name() + " (" + mac + ")";
            }
        }
        return "an unknown machine (" + mac + ")";
    }

    public boolean holdsVip(Host host) {
        return holds(host, vip());
    }

    /** Whether the host has the IPv4 address on one of its interfaces ({@code ip -o -4 addr show}). */
    public boolean holds(Host host, String address) {
        CommandResult r = host.exec("ip -o -4 addr show").requireOk();
        return IpAddr.holds(r.stdout(), address);
    }

    /** {@code systemctl is-active}: active, inactive, failed, activating, ... */
    /**
     * The command line of the program {@code unit} runs on {@code host} (its main process's
     * {@code /proc/PID/cmdline}, arguments joined by spaces), or empty when it runs nothing there.
     */
    public String programOf(Host host, String unit) {
        CommandResult r = host.exec(host.asRoot("p=$(systemctl show -p MainPID --value " + io.triad.host.Shell.quote(unit)
                + "); [ -n \"$p\" ] && [ \"$p\" != 0 ] && tr '\\0' ' ' < /proc/$p/cmdline; true"));
        return r.stdout().strip();
    }

    /**
     * The processes on {@code host} that run the program {@code cmdline} names (the same command line,
     * whatever unit, container or shell started them), each "PID (its cgroup)".
     */
    public List<String> processesRunning(Host host, String cmdline) {
        if (cmdline.isBlank()) {
            return List.of();
        }
        CommandResult r = host.exec(host.asRoot("want=" + io.triad.host.Shell.quote(cmdline) + "; for p in /proc/[0-9]*; do "
                + "c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null | sed 's/ *$//'); [ \"$c\" = \"$want\" ] || continue; "
                + "echo \"${p#/proc/} ($(tail -n1 $p/cgroup 2>/dev/null | cut -d: -f3))\"; done; true"));
        return r.stdout().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    public String unitState(Host host, String unit) {
        return host.exec("systemctl is-active " + unit).stdout().strip();
    }

    /**
     * The units that start {@code unit} with them, as systemd has them loaded: its reverse
     * dependencies that pull a start (WantedBy, RequiredBy, RequisiteOf, BoundBy, UpheldBy,
     * TriggeredBy), each "WantedBy=jetstream.service"; empty when none does (a property this
     * systemd does not know reads empty).
     */
    public List<String> startedWith(Host host, String unit) {
        CommandResult r = host.exec("systemctl show -p WantedBy -p RequiredBy -p RequisiteOf -p BoundBy -p UpheldBy -p TriggeredBy " + unit);
        return startingDependencies(r.stdout());
    }

    /** The non-empty "Property=units" lines of a {@code systemctl show -p ...} answer. */
    static List<String> startingDependencies(String show) {
        return show.lines().map(String::strip).filter(l -> l.indexOf('=') > 0 && !l.substring(l.indexOf('=') + 1).isBlank()).toList();
    }

    /** {@code systemctl is-enabled}: enabled, disabled, static, masked, ..., or "not-found". */
    public String unitEnablement(Host host, String unit) {
        CommandResult r = host.exec("systemctl is-enabled " + unit);
        String out = r.stdout().strip();
        if (out.isEmpty() && r.stderr().contains("No such file")) {
            return "not-found";
        }
        return out.isEmpty() ? "unknown" : out;
    }

    public boolean unitInstalled(Host host, String unit) {
        CommandResult r = host.exec("systemctl show -p LoadState --value " + unit);
        return r.stdout().strip().equals("loaded");
    }

    /** The listening sockets on a port ({@code ss -tlnp}). */
    public List<Listeners.Socket> listeners(Host host, int port) {
        CommandResult r = host.exec(host.asRoot("ss -tlnp")).requireOk(); // processes of other users: root
        return Listeners.onPort(r.stdout(), port);
    }

    /** The node's view of the JetStream cluster from its monitoring endpoint. */
    public JetStreamStatus jetstream(Host host) {
        CommandResult r = host.exec("curl -s -m 3 http://127.0.0.1:" + Settings.of(zone.env()).ports().natsMonitor() + "/jsz").requireOk();
        return JetStreamStatus.parse(r.stdout());
    }

    /** One answer of the controller's health endpoint through the VIP, seen from the harness. */
    public record HealthAnswer(int status, String body, String error, Instant at, Duration took) {
        public boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return (status > 0 ? "HTTP " + status + " " + body : "no answer: " + error) + " (" + took.toMillis() + " ms)";
        }
    }

    public HealthAnswer healthThroughVip(Duration timeout) {
        return throughVip("GET", "/health", null, timeout);
    }

    /** One write through the VIP ({@code POST /write}); status -1 when nothing answered. Recorded as evidence. */
    public HealthAnswer writeThroughVip(String payload, Duration timeout) {
        return throughVip("POST", "/write", payload, timeout);
    }

    /** One HTTPS request to the controller through the VIP, seen from the harness, kept as evidence. */
    private HealthAnswer throughVip(String method, String path, String body, Duration timeout) {
        String url = "https://" + vip() + ":" + Settings.of(zone.env()).ports().controller() + path;
        Instant at = Instant.now();
        if (zone.planning()) {
            zone.plan().orElseThrow().request(method + " " + url);
            return new HealthAnswer(-1, "", "a dry run sends nothing", at, Duration.ZERO);
        }
        long t0 = System.nanoTime();
        HealthAnswer answer;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
            request = body == null ? request.GET() : request.method(method, HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
            answer = new HealthAnswer(response.statusCode(), response.body().strip(), "", at, Duration.ofNanos(System.nanoTime() - t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = new HealthAnswer(-1, "", "interrupted", at, Duration.ofNanos(System.nanoTime() - t0));
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            answer = new HealthAnswer(-1, "", message, at, Duration.ofNanos(System.nanoTime() - t0));
        }
        zone.evidence().note(method + " " + url + " -> " + (answer.status() > 0 ? "HTTP " + answer.status() : "no answer"),
                "# " + at + " from the harness\n" + answer + "\n");
        return answer;
    }

    private synchronized HttpClient client() throws Exception {
        if (https == null) {
            https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).sslContext(sslContext()).build();
        }
        return https;
    }

    /** Trusts the zone CA where known (always for the simulated triad); else, like curl -k, any certificate. */
    private SSLContext sslContext() throws Exception {
        return sslContext(zone.zoneCa());
    }

    /** A TLS context that trusts the zone CA when it is known, else (like curl -k) any certificate. */
    public static SSLContext sslContext(java.util.Optional<X509Certificate> zoneCa) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        if (zoneCa.isPresent()) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("zone-ca", zoneCa.get());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            context.init(null, tmf.getTrustManagers(), null);
        } else {
            context.init(null, Tls.trustAny(), null);
        }
        return context;
    }
}
