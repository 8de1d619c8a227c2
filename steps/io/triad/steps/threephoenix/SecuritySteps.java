package io.triad.steps.threephoenix;

import io.triad.tech.postgres.Db;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.threephoenix.Ingress;
import io.triad.profile.threephoenix.Nmap;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** III. Security & Network: tried from the host outside the zone (the repository's) against the public address. */
public class SecuritySteps extends PhoenixSupport {
    public SecuritySteps(io.triad.run.Run run) {
        super(run);
    }

    private static final DateTimeFormatter OPENSSL_DATE = DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy 'GMT'", Locale.ROOT);

    private Host outside() {
        return zone.supportHost(settings.repositoryHost());
    }

    private Host publicHost() {
        return zone.supportHost(settings.ingressHost());
    }

    @Then("the certificate the public address presents for the site's name is valid for it, chained to the zone CA, with more than 30 days left")
    public void certificate() {
        Host from = outside();
        String connect = publicHost().address() + ":" + settings.httpsPort();
        CommandResult r = from.exec("out=$(openssl s_client -connect " + q(connect) + " -servername " + q(settings.siteName())
                + " -CAfile " + q(settings.caFile()) + " -verify_hostname " + q(settings.siteName()) + " -verify_return_error </dev/null 2>/dev/null);"
                + " rc=$?; printf '%s\\n' \"$out\" | openssl x509 -noout -enddate -subject 2>&1; echo \"handshake=$rc\"");
        zone.evidence().note("the certificate at " + connect + " for " + settings.siteName(), r.stdout());
        check(r.stdout().contains("handshake=0"), "the TLS handshake with " + connect + " for " + settings.siteName()
                + " fails verification against " + settings.caFile() + " (not valid for the name, not chained to the CA, or expired)");
        String end = r.stdout().lines().filter(l -> l.startsWith("notAfter=")).findFirst()
                .orElseThrow(() -> new AssertionError("no certificate read from " + connect)).substring(9).replaceAll(" +", " ");
        Instant notAfter = java.time.LocalDateTime.parse(end, OPENSSL_DATE).toInstant(ZoneOffset.UTC);
        long days = Duration.between(Instant.now(), notAfter).toDays();
        long horizon = zone.env().thresholds().certificateHorizon().toDays();
        zone.evidence().figure("site certificate", "expires " + notAfter + ", in " + days + " days");
        check(days > horizon, "the site's certificate expires " + notAfter + ", in " + days + " days: not more than " + horizon);
    }

    /**
     * Deterministic where a fast scan is not: every port the public address's host listens on
     * (read on the host itself) is tried from outside the zone with a plain connect, and only 80
     * and 443 may answer. A scan at tens of thousands of packets a second on a loaded machine can
     * lose answers and call an open port filtered (a mutant's 5432 went unseen so, 2026-11-23).
     */
    @Then("every port the public address's host listens on and every service port of the zone, but 80 and 443, refuses a connection from outside the zone")
    public void listeningClosedFromOutside() {
        Host pub = publicHost();
        Host from = outside();
        CommandResult ss = pub.exec("ss -Htln");
        check(ss.ok(), "ss -tln on " + pub.name() + " failed: " + Db.firstLine(ss.stderr()));
        Set<Integer> listening = new TreeSet<>();
        for (String line : ss.stdout().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].lastIndexOf(':') > 0) {
                try {
                    listening.add(Integer.parseInt(f[3].substring(f[3].lastIndexOf(':') + 1)));
                } catch (NumberFormatException e) {
                    // a local address with a named port: ss -n gives numbers
                }
            }
        }
        check(!listening.isEmpty(), "ss -tln on " + pub.name() + " shows no listening socket: " + ss.stdout().strip());
        Set<Integer> tried = new TreeSet<>(listening);
        // and the zone's own service ports whether or not a socket shows them: a port forwarded
        // elsewhere (a DNAT rule) has no listening socket on the public host
        tried.addAll(Set.of(settings.postgresPort(), settings.poolPort(), settings.appPort()));
        tried.removeAll(Set.of(settings.httpPort(), settings.httpsPort()));
        // on every address the public host holds, not only the one the environment names: a
        // second address on the same host is as public
        List<String> addresses = addressesOf(List.of(pub)).get(pub.name());
        java.util.Map<String, String> targets = new java.util.LinkedHashMap<>();
        addresses.forEach(a -> tried.forEach(port -> targets.put(a + ":" + port, a + "/" + port)));
        zone.evidence().figure("ports " + pub.name() + " listens on", listening + "; tried from " + from.name() + ": " + tried
                + " on " + addresses + " (80 and 443 may answer)");
        List<String> open = connects(from, targets).stream().sorted().toList();
        check(open.isEmpty(), "the public address's host " + pub.name() + " accepts connections from outside the zone (" + from.name()
                + ") on " + open + (open.stream().anyMatch(t -> t.endsWith(":" + settings.postgresPort())) ? " (the database port)" : "")
                + ": only " + settings.httpPort() + " and " + settings.httpsPort() + " may");
    }

    @Then("nmap from outside the zone finds exactly the ports 80 and 443 open on the public address, every TCP port tried")
    public void portScan() {
        Host from = outside();
        String address = publicHost().address();
        CommandResult r = from.exec("nmap -Pn -n -p- -T5 --max-retries 1 --max-rtt-timeout 100ms --initial-rtt-timeout 50ms --min-rate " + settings.scanRate() + " -oX - " + q(address), Duration.ofMinutes(5));
        check(r.ok(), "nmap from " + from.name() + " failed: " + Db.firstLine(r.stderr()));
        Nmap scan = Nmap.parse(r.stdout());
        zone.evidence().figure("open on " + address + " (nmap from " + from.name() + ", " + scan.scanned() + " ports)", scan.open().toString());
        check(scan.scanned() >= 65535, "nmap scanned " + scan.scanned() + " ports of " + address + ", not every TCP port");
        Set<Integer> allowed = Set.of(settings.httpPort(), settings.httpsPort());
        Set<Integer> beyond = new TreeSet<>(scan.open());
        beyond.removeAll(allowed);
        check(beyond.isEmpty(), "open on the public address " + address + " beyond " + allowed + ": " + beyond
                + (beyond.contains(settings.postgresPort()) ? " (the database port)" : ""));
        Set<Integer> missing = new TreeSet<>(allowed);
        missing.removeAll(scan.open());
        check(missing.isEmpty(), "not open on the public address " + address + ": " + missing);
    }

    /**
     * "Database ports must be Closed/Filtered": PostgreSQL's and Pgpool's ports, tried from outside
     * the zone on every address of every host of the zone (the nodes and the public address's
     * host), each address read on the host: a node given a second address with the database open
     * on it is as exposed as one open on its own.
     */
    @Then("the database ports answer on no address of any host of the zone from outside the zone")
    public void databaseClosedFromOutside() {
        Host from = outside();
        List<Host> zoneHosts = new ArrayList<>(nodes());
        zoneHosts.add(publicHost());
        java.util.Map<String, String> targets = new java.util.LinkedHashMap<>();
        addressesOf(zoneHosts).forEach((host, addresses) -> addresses.forEach(a -> List.of(settings.postgresPort(), settings.poolPort())
                .forEach(port -> targets.put(host + " " + a + ":" + port, a + "/" + port))));
        List<String> open = connects(from, targets).stream().sorted().toList();
        check(open.isEmpty(), "a database port (" + settings.postgresPort() + ", " + settings.poolPort() + ") answers from outside the zone ("
                + from.name() + ") on " + String.join(", ", open));
    }

    /**
     * Tries a plain TCP connect from {@code from} to each target ({@code label -> address/port}),
     * all at once (a dropped connection waits out its 2 s), and returns the labels that answered;
     * the tries are kept as evidence.
     */
    private List<String> connects(Host from, java.util.Map<String, String> targets) {
        StringBuilder tries = new StringBuilder();
        targets.forEach((label, target) -> tries.append("(timeout 2 bash -c ").append(q("exec 3<>/dev/tcp/" + target))
                .append(" 2>/dev/null && echo '").append(label).append(" open' || echo '").append(label).append(" closed') & "));
        CommandResult r = from.exec(tries + "wait");
        zone.evidence().note("connects tried from " + from.name() + " to " + targets.values(), r.stdout());
        check(r.stdout().lines().count() == targets.size(), "the tries from " + from.name() + " gave " + r.stdout().strip());
        return r.stdout().lines().filter(l -> l.endsWith(" open")).map(l -> l.substring(0, l.length() - " open".length())).toList();
    }

    @Then("HTTP requests to the site at the public address are answered 301 with the same host and path on https")
    public void redirect() {
        Host from = outside();
        List<String> problems = new ArrayList<>();
        for (String path : List.of("/", "/api/repos?page=2")) {
            CommandResult r = from.exec(Ingress.curl(settings, publicHost().address(), "http", path, ""));
            String[] got = r.stdout().strip().split(" ", 2);
            String expected = "https://" + settings.siteName() + (settings.httpsPort() == 443 ? "" : ":" + settings.httpsPort()) + path;
            zone.evidence().figure("http://" + settings.siteName() + path, r.stdout().strip());
            if (!got[0].equals("301")) {
                problems.add("http://" + settings.siteName() + path + " answered " + (got[0].isEmpty() ? "nothing" : got[0]) + ", not 301");
            } else if (got.length < 2 || !got[1].equals(expected)) {
                problems.add("http://" + settings.siteName() + path + " redirects to " + (got.length < 2 ? "nothing" : got[1]) + ", not " + expected);
            }
        }
        none(problems, "HTTP to HTTPS");
    }
}
