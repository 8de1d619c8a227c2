package io.triad.steps.plasmacloud;

import com.fasterxml.jackson.databind.JsonNode;
import io.cucumber.java.en.Then;
import io.triad.env.Ipv4;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.plasmacloud.Settings.Provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The provisioning side of the runbook (3.2 DHCP, 4.3 the PXE server): asked as a booting server
 * asks, from a host on the provisioning network ({@code plasmacloud.provisioning.client}), and
 * read on the PXE server itself ({@code plasmacloud.provisioning.server}) over SSH.
 *
 * <p>A DHCP request is busybox's udhcpc on a macvlan interface with the MAC the probe needs (a
 * fresh locally administered one, or a reserved node's), sending the PXE client's architecture
 * (option 93) or iPXE's user class (option 77) as a firmware does; the lease it is given (address,
 * server, next-server, boot file, router, host name) is what dhcpd answered, and it is released on
 * exit. On a live zone this obtains leases and speaks with the reserved nodes' MACs: it runs only
 * where the environment allows the fault {@code dhcp-probe}.
 */
public class ProvisioningSteps extends PlasmaSupport {
    public ProvisioningSteps(io.triad.run.Run run) {
        super(run);
    }

    /** The last n non-blank lines of a command's output, joined (what a message quotes of it). */
    private static String tail(String text, int n) {
        List<String> lines = text.strip().lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private Provisioning provisioning() {
        return settings.provisioning().orElseThrow(() -> new AssertionError("the environment names no PXE server (plasmacloud.provisioning in "
                + zone.env().file() + "): declare pxe-server under not_applicable: with the reason, or name the server and a client"
                + " on the provisioning network"));
    }

    private Host server() {
        return zone.supportHost(provisioning().server());
    }

    private Host client() {
        return zone.supportHost(provisioning().client());
    }

    private String serverAddress() {
        return zone.env().supportHost(provisioning().server()).address().toString();
    }

    // ---- 3.2 DHCP --------------------------------------------------------------------------------

    @Then("the PXE server's DHCP configuration passes dhcpd's syntax test")
    public void dhcpdSyntax() {
        Host pxe = server();
        CommandResult r = pxe.exec(pxe.asRoot("dhcpd -t -cf /etc/dhcp/dhcpd.conf 2>&1"));
        zone.evidence().note("dhcpd -t on " + pxe.name(), r.stdout().strip());
        check(r.ok(), "dhcpd -t -cf /etc/dhcp/dhcpd.conf on " + pxe.name() + " failed (exit " + r.exitCode() + "): "
                + tail(r.stdout(), 3));
    }

    /** A DHCP request made from the provisioning network: its name, the MAC it is sent with, udhcpc's options. */
    record Probe(String name, String mac, String options) { }

    /** What one request was given: the lease's fields as udhcpc hands them to its script, and udhcpc's own lines. */
    record Lease(Map<String, String> fields, List<String> log) {
        String get(String key) {
            return fields.getOrDefault(key, "");
        }
    }

    /** A fresh locally administered unicast MAC (02:...), no reservation's. */
    private static String freshMac() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder mac = new StringBuilder("02");
        for (int i = 0; i < 5; i++) {
            mac.append(':').append(String.format("%02x", random.nextInt(256)));
        }
        return mac.toString();
    }

    /**
     * The requests, in one command on the client: each from a macvlan interface with its MAC (the
     * client's own interface and address untouched), udhcpc in the foreground until it is given a
     * lease or gives up (-n), the lease released on exit (-R).
     */
    Map<String, Lease> request(List<Probe> probes) {
        Host c = client();
        StringBuilder script = new StringBuilder("""
                set -u
                command -v udhcpc >/dev/null || { echo "!! udhcpc (busybox) is not installed on this host"; exit 3; }
                s=$(mktemp); trap 'rm -f "$s"; ip link del triadprobe0 2>/dev/null' EXIT
                printf '#!/bin/sh\\n[ "$1" = bound ] && env | grep -E "^(ip|serverid|siaddr|boot_file|router|hostname|subnet)="\\nexit 0\\n' > "$s"
                chmod 700 "$s"
                dev=$(ip -o route get %s | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')
                probe() {
                  name=$1 mac=$2; shift 2
                  echo "== $name $mac"
                  ip link del triadprobe0 2>/dev/null
                  ip link add triadprobe0 link "$dev" address "$mac" type macvlan mode bridge && ip link set triadprobe0 up \\
                    || { echo "!! no interface with MAC $mac could be made on $dev"; return; }
                  timeout 30 udhcpc -i triadprobe0 -f -q -n -R -t 6 -T 3 -s "$s" "$@" 2>&1
                  ip link del triadprobe0
                }
                """.formatted(serverAddress()));
        for (Probe p : probes) {
            script.append("probe ").append(p.name()).append(' ').append(p.mac()).append(' ').append(p.options()).append('\n');
        }
        CommandResult r = c.exec(c.asRoot("bash -c " + q(script.toString())), java.time.Duration.ofSeconds(40L * probes.size()));
        Map<String, Lease> leases = new LinkedHashMap<>();
        Lease current = null;
        for (String line : r.stdout().lines().toList()) {
            if (line.startsWith("== ")) {
                current = new Lease(new LinkedHashMap<>(), new ArrayList<>());
                leases.put(line.substring(3).split(" ")[0], current);
            } else if (line.startsWith("!! ") && current == null) {
                throw new AssertionError(c.name() + ": " + line.substring(3));
            } else if (current != null && line.matches("[a-z_]+=.*")) {
                current.fields().put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            } else if (current != null) {
                current.log().add(line.startsWith("!! ") ? line.substring(3) : line);
            }
        }
        zone.evidence().note("DHCP requests from " + c.name(), String.join("\n", probes.stream().map(p -> p.name() + " (" + p.mac() + ", "
                + p.options() + "): " + (leases.containsKey(p.name()) ? leases.get(p.name()).fields() : "no answer")).toList()));
        return leases;
    }

    /** The problems of one lease against what the runbook's dhcpd.conf gives it. */
    private List<String> judge(Provisioning p, String what, Lease lease, Ipv4 fixed, String hostname, String bootFile) {
        List<String> problems = new ArrayList<>();
        if (lease == null || lease.get("ip").isEmpty()) {
            problems.add(what + ": no lease (" + (lease == null ? "no answer" : String.join("; ", lease.log().stream()
                    .filter(l -> !l.isBlank()).toList())) + ")");
            return problems;
        }
        String server = serverAddress();
        if (!lease.get("serverid").equals(server)) {
            problems.add(what + ": answered by " + lease.get("serverid") + ", not the PXE server " + server);
        }
        Ipv4 ip = Ipv4.parse(lease.get("ip"));
        if (fixed != null && !ip.equals(fixed)) {
            problems.add(what + ": given " + ip + ", not its fixed address " + fixed);
        } else if (fixed == null && !p.inPool(ip)) {
            problems.add(what + ": given " + ip + ", outside the pool " + p.poolFirst() + "-" + p.poolLast());
        }
        if (!lease.get("siaddr").equals(server)) {
            problems.add(what + ": next-server " + (lease.get("siaddr").isEmpty() ? "none" : lease.get("siaddr")) + ", not the PXE server " + server);
        }
        if (!lease.get("boot_file").equals(bootFile)) {
            problems.add(what + ": boot file '" + lease.get("boot_file") + "', not '" + bootFile + "'");
        }
        if (!lease.get("router").equals(p.router().toString())) {
            problems.add(what + ": router " + (lease.get("router").isEmpty() ? "none" : lease.get("router")) + ", not " + p.router());
        }
        if (hostname != null && !lease.get("hostname").equals(hostname)) {
            problems.add(what + ": host name '" + lease.get("hostname") + "', not '" + hostname + "'");
        }
        return problems;
    }

    /** The client kinds of the runbook's dhcpd.conf: BIOS (architecture 0), UEFI x86_64 (7 and 9), iPXE (its user class). */
    private static final Map<String, String> KINDS = Map.of("bios", "-x 0x5d:0000", "uefi", "-x 0x5d:0007", "uefi-alt", "-x 0x5d:0009",
            "ipxe", "-x 0x5d:0007 -x 0x4d:69505845");

    @Then("a DHCP request on the provisioning network from a BIOS, a UEFI and an iPXE client is each given an address of the pool, the router, the PXE server as next-server and the boot file for it")
    public void offersByKind() {
        Provisioning p = provisioning();
        List<Probe> probes = new ArrayList<>();
        for (String kind : List.of("bios", "uefi", "uefi-alt", "ipxe")) {
            probes.add(new Probe(kind, freshMac(), KINDS.get(kind)));
        }
        Map<String, Lease> leases = request(probes);
        List<String> problems = new ArrayList<>();
        for (Probe probe : probes) {
            String kind = probe.name().equals("uefi-alt") ? "uefi" : probe.name();
            problems.addAll(judge(p, "the " + probe.name() + " client (" + probe.mac() + ")", leases.get(probe.name()), null, null,
                    p.bootFile(serverAddress(), kind)));
        }
        none(problems, "DHCP offers on the provisioning network");
    }

    @Then("a DHCP request from each reserved node's MAC is given its fixed address and its host name")
    public void reservations() {
        Provisioning p = provisioning();
        check(!p.reservations().isEmpty(), "the environment reserves no address (plasmacloud.provisioning.reservations): the runbook reserves"
                + " one for each control-plane node");
        List<String> problems = new ArrayList<>();
        for (String node : zone.env().hosts().stream().map(h -> h.name()).toList()) {
            if (!p.reservations().containsKey(node)) {
                problems.add(node + " has no reservation (plasmacloud.provisioning.reservations)");
            }
        }
        List<Probe> probes = p.reservations().entrySet().stream().map(e -> new Probe(e.getKey(), e.getValue().mac(), KINDS.get("uefi"))).toList();
        Map<String, Lease> leases = request(probes);
        p.reservations().forEach((node, r) -> problems.addAll(judge(p, node + "'s MAC " + r.mac(), leases.get(node), r.address(), node,
                p.bootFile(serverAddress(), "uefi"))));
        none(problems, "the nodes' DHCP reservations");
    }

    // ---- 3.4 the provisioning server's firewall ---------------------------------------------------

    /**
     * UDP on a port nothing listens on, let through or dropped: a connected UDP socket on the
     * client sends one datagram; a port let through with no listener answers ICMP port unreachable
     * (the socket's next receive is refused), a dropped one answers nothing ("silent").
     */
    private String udpLetThrough(Host c, String address, int port) {
        CommandResult r = c.exec("python3 -c " + q("""
                import socket, sys
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.settimeout(3)
                s.connect((sys.argv[1], int(sys.argv[2])))
                s.send(b"triad-acceptance")
                try:
                    s.recv(64)
                    print("answered")
                except ConnectionRefusedError:
                    print("refused")
                except socket.timeout:
                    print("silent")
                """) + " " + address + " " + port);
        return r.ok() ? r.stdout().strip() : "not tried: " + tail(r.stderr(), 1);
    }

    @Then("from the provisioning network the PXE server's TFTP, HTTP on 80 and 8080 and SSH answer, and UDP 68 is let through")
    public void provisioningPortsOpen() {
        Provisioning p = provisioning();
        Host c = client();
        String server = serverAddress();
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        // TFTP (udp 69): a get of the BIOS bootloader
        String file = p.bootFile(server, "bios");
        CommandResult tftp = c.exec("f=$(mktemp); timeout 20 tftp -m binary " + server + " -c get " + q(file) + " \"$f\" 2>&1; rc=$?;"
                + " [ -s \"$f\" ] || rc=1; rm -f \"$f\"; exit $rc");
        seen.put("udp 69 (TFTP)", tftp.ok() ? "a get of " + file + " answered" : "no answer: " + tail(tftp.stdout() + tftp.stderr(), 1));
        if (!tftp.ok()) {
            problems.add("TFTP (udp 69): a get of " + file + " from " + server + " failed: " + tail(tftp.stdout() + tftp.stderr(), 1));
        }
        // HTTP (tcp 80, 8080): any HTTP answer
        for (int port : List.of(80, p.httpPort())) {
            CommandResult http = c.exec("curl -sS --max-time 5 -o /dev/null -w '%{http_code}' " + q("http://" + server + ":" + port + "/health"));
            String code = http.stdout().strip();
            seen.put("tcp " + port + " (HTTP)", code.isEmpty() || code.equals("000") ? "no answer" : "HTTP " + code);
            if (code.isEmpty() || code.equals("000")) {
                problems.add("HTTP (tcp " + port + ") on " + server + " did not answer: " + tail(http.stderr(), 1));
            }
        }
        // SSH (tcp 22): its banner
        CommandResult ssh = c.exec("timeout 5 bash -c " + q("exec 3<>/dev/tcp/" + server + "/22; head -c 4 <&3"));
        seen.put("tcp 22 (SSH)", ssh.stdout().startsWith("SSH-") ? "banner SSH-" : "no banner");
        if (!ssh.stdout().startsWith("SSH-")) {
            problems.add("SSH (tcp 22) on " + server + " gave no banner: " + tail(ssh.stderr(), 1));
        }
        // DHCP's client port (udp 68): nothing listens on the server; let through, it is refused, not dropped
        String udp68 = udpLetThrough(c, server, 68);
        seen.put("udp 68 (DHCP client)", udp68);
        if (!udp68.equals("refused") && !udp68.equals("answered")) {
            problems.add("udp 68 on " + server + ": " + udp68 + " (a port the firewall lets through answers port unreachable where nothing listens)");
        }
        zone.evidence().note("ports of " + server().name() + " tried from " + c.name(), seen.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).reduce((a, b) -> a + "\n" + b).orElse(""));
        none(problems, "the provisioning server's ports from the provisioning network");
    }

    @Then("a DHCP request on the provisioning network is answered by the PXE server")
    public void dhcpAnswered() {
        Probe probe = new Probe("uefi", freshMac(), KINDS.get("uefi"));
        Lease lease = request(List.of(probe)).get("uefi");
        check(lease != null && lease.get("serverid").equals(serverAddress()), "DHCP (udp 67): a request from " + client().name() + " ("
                + probe.mac() + ") was not answered by the PXE server " + serverAddress() + ": "
                + (lease == null ? "no answer" : lease.get("serverid").isEmpty() ? String.join("; ", lease.log()) : "answered by " + lease.get("serverid")));
    }

    // ---- 4.3 the PXE server ----------------------------------------------------------------------

    /** The runbook's services by what they do, each under the unit names the runbook uses for it (Debian's, then NixOS's). */
    private static final Map<String, List<String>> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("dhcp", List.of("isc-dhcp-server.service", "dhcpd4.service"));
        SERVICES.put("tftp", List.of("atftpd.service"));
        SERVICES.put("http", List.of("nginx.service"));
    }

    /** Each service's unit state on the PXE server (the first of its names that is loaded), by what it does. */
    private Map<String, String> unitStates() {
        Host pxe = server();
        List<String> units = SERVICES.values().stream().flatMap(List::stream).toList();
        CommandResult r = pxe.exec("for u in " + String.join(" ", units) + "; do echo \"$u $(systemctl show -P LoadState $u) $(systemctl show -P ActiveState $u)\"; done");
        Map<String, String> states = new LinkedHashMap<>();
        SERVICES.forEach((service, names) -> {
            String state = "not installed";
            for (String line : r.stdout().lines().toList()) {
                String[] f = line.split(" ");
                if (f.length == 3 && names.contains(f[0]) && f[1].equals("loaded") && state.equals("not installed")) {
                    state = f[0] + " " + f[2];
                }
            }
            states.put(service, state);
        });
        return states;
    }

    @Then("on the PXE server the DHCP, TFTP and HTTP services are running")
    public void servicesRunning() {
        Map<String, String> states = unitStates();
        zone.evidence().note("PXE server units on " + server().name(), states.toString());
        List<String> problems = new ArrayList<>();
        states.forEach((service, state) -> {
            if (!state.endsWith(" active")) {
                problems.add(service.toUpperCase(java.util.Locale.ROOT) + " on " + server().name() + ": " + state);
            }
        });
        none(problems, "the PXE server's services");
    }

    /** sha256 and the first two bytes (hex) of a file, or "missing". */
    private static String digest(String path) {
        return "if [ -s " + q(path) + " ]; then echo \"$(sha256sum < " + q(path) + " | cut -c1-64) $(head -c2 " + q(path) + " | od -An -tx1 | tr -d ' \\n')\";"
                + " else echo missing; fi";
    }

    @Then("from the provisioning network both iPXE bootloaders are fetched over TFTP, each the PXE server's file byte for byte")
    public void bootloaders() {
        Provisioning p = provisioning();
        Host pxe = server();
        Host c = client();
        List<String> problems = new ArrayList<>();
        for (String file : List.of(p.bootFile(serverAddress(), "bios"), p.bootFile(serverAddress(), "uefi"))) {
            String theirs = pxe.exec(pxe.asRoot(digest(p.tftpRoot() + "/" + file))).stdout().strip();
            String local = "/tmp/triad-tftp-" + file;
            CommandResult got = c.exec("rm -f " + q(local) + "; command -v tftp >/dev/null || { echo 'no tftp client (tftp-hpa) on this host' >&2; exit 3; };"
                    + " timeout 30 tftp -m binary " + serverAddress() + " -c get " + q(file) + " " + q(local) + " 2>&1 && " + digest(local) + "; rc=$?; rm -f " + q(local) + "; exit $rc");
            String fetched = got.stdout().strip().lines().reduce((a, b) -> b).orElse("");
            zone.evidence().note("TFTP " + file, "on " + pxe.name() + ": " + theirs + "\nfetched by " + c.name() + ": " + fetched);
            if (theirs.equals("missing")) {
                problems.add(file + " is missing or empty in " + pxe.name() + "'s TFTP root " + p.tftpRoot());
            } else if (!got.ok() || fetched.equals("missing") || !fetched.matches("[0-9a-f]{64} [0-9a-f]*")) {
                problems.add(file + " could not be fetched over TFTP from " + serverAddress() + ": "
                        + tail(got.stdout() + got.stderr(), 2));
            } else if (!fetched.equals(theirs)) {
                problems.add(file + " fetched over TFTP differs from " + pxe.name() + "'s (sha256 " + fetched.split(" ")[0] + " against "
                        + theirs.split(" ")[0] + ")");
            } else if (file.endsWith(".efi") && !fetched.endsWith(" 4d5a")) {
                problems.add(file + " is not an EFI executable (it does not begin with MZ)");
            }
        }
        none(problems, "the iPXE bootloaders over TFTP");
    }

    @Then("from the provisioning network the boot script is fetched over HTTP, an iPXE script and the PXE server's file byte for byte")
    public void bootScript() {
        Provisioning p = provisioning();
        Host pxe = server();
        Host c = client();
        String url = p.bootScriptUrl(serverAddress());
        String theirs = pxe.exec(pxe.asRoot(digest(p.bootScript()))).stdout().strip();
        String local = "/tmp/triad-boot.ipxe";
        CommandResult got = c.exec("code=$(curl -sS --max-time 10 -o " + q(local) + " -w '%{http_code}' " + q(url) + "); echo \"status $code\";"
                + " echo \"first $(head -1 " + q(local) + " 2>/dev/null)\"; echo \"digest $(" + digest(local) + ")\"; rm -f " + q(local));
        Map<String, String> out = new LinkedHashMap<>();
        got.stdout().lines().forEach(l -> out.put(l.split(" ", 2)[0], l.contains(" ") ? l.split(" ", 2)[1] : ""));
        zone.evidence().note("boot script " + url, got.stdout().strip() + "\non " + pxe.name() + " (" + p.bootScript() + "): " + theirs);
        check(out.getOrDefault("status", "").equals("200"), url + " answered " + out.getOrDefault("status", "nothing") + " ("
                + tail(got.stderr(), 1) + ")");
        check(out.getOrDefault("first", "").strip().equals("#!ipxe"), url + " is not an iPXE script: its first line is '"
                + out.getOrDefault("first", "") + "' (iPXE runs only a script that begins with #!ipxe)");
        check(!theirs.equals("missing"), p.bootScript() + " is missing or empty on " + pxe.name());
        check(out.getOrDefault("digest", "").equals(theirs), url + " served another file than " + pxe.name() + "'s " + p.bootScript());
    }

    @Then("the PXE server's health endpoint answers healthy with DHCP, TFTP and HTTP running, as their units are")
    public void health() {
        Provisioning p = provisioning();
        Host c = client();
        String url = "http://" + serverAddress() + ":" + p.httpPort() + "/health";
        CommandResult r = c.exec("curl -sS --max-time 10 -w '\\n%{http_code}' " + q(url));
        String out = r.stdout().strip();
        int nl = out.lastIndexOf('\n');
        String status = nl < 0 ? out : out.substring(nl + 1);
        String body = nl < 0 ? "" : out.substring(0, nl);
        Map<String, String> units = unitStates();
        zone.evidence().note("health endpoint " + url, status + " " + body + "\nunits on " + server().name() + ": " + units);
        check(status.equals("200"), url + " answered " + (status.isBlank() ? "nothing (" + tail(r.stderr(), 1) + ")" : status
                + " " + body));
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(url + " answered no JSON: " + body);
        }
        List<String> problems = new ArrayList<>();
        if (!json.path("status").asText().equals("healthy")) {
            problems.add("status '" + json.path("status").asText() + "', not healthy");
        }
        units.forEach((service, state) -> {
            String said = json.path("services").path(service).asText("");
            boolean active = state.endsWith(" active");
            if (!said.equals("running")) {
                problems.add(service + " '" + said + "', not running");
            }
            if (said.equals("running") != active) {
                problems.add(service + " said '" + said + "' while its unit is " + state);
            }
        });
        none(problems, "the PXE server's health endpoint");
    }
}
