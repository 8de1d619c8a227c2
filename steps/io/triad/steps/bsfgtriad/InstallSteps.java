package io.triad.steps.bsfgtriad;

import io.triad.profile.bsfgtriad.Settings;
import io.triad.steps.common.Support;
import io.cucumber.java.en.Then;
import io.triad.env.Environment;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.tech.vrrp.KeepalivedConf;
import io.triad.tech.nats.NatsConf;
import io.triad.probe.parse.OsRelease;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Runbook section 4: the JetStream configuration, keepalived, the controller's artifacts, the units. */
public class InstallSteps extends Support {
    public InstallSteps(io.triad.run.Run run) {
        super(run);
    }

    // ---- 4.1 JetStream configuration ---------------------------------------------------------------

    private Map<Host, NatsConf> natsConfs() {
        Map<Host, NatsConf> out = new LinkedHashMap<>();
        for (Host h : zone.hostsRunning("jetstream")) {
            String path = Settings.of(zone.env()).paths().jetstreamConfig();
            try {
                out.put(h, NatsConf.parse(read(h, path)));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(path + " on " + h.name() + " does not parse: " + e.getMessage());
            }
        }
        return out;
    }

    @Then("every node's JetStream configuration names the zone's cluster")
    public void clusterName() {
        List<String> problems = new ArrayList<>();
        natsConfs().forEach((h, conf) -> {
            String name = conf.string("cluster.name").orElse("(none)");
            if (!name.equals(zone.env().zone())) {
                problems.add(h.name() + " names cluster '" + name + "', the zone is '" + zone.env().zone() + "'");
            }
        });
        none(problems, "runbook 4.1: cluster identity mismatched");
    }

    @Then("every node's JetStream configuration routes to every node on the cluster port")
    public void routes() {
        int port = Settings.of(zone.env()).ports().natsCluster();
        List<String> problems = new ArrayList<>();
        natsConfs().forEach((h, conf) -> {
            Set<String> routes = new TreeSet<>();
            for (String r : conf.strings("cluster.routes")) {
                routes.add(r.replaceFirst("^nats(-route)?://", "").replaceFirst("^[^@]*@", ""));
            }
            for (Environment.HostSpec n : zone.env().hosts()) {
                if (!routes.contains(n.address() + ":" + port) && !routes.contains(n.hostname() + ":" + port)) {
                    problems.add(h.name() + " has no route to " + n.name() + " (" + n.address() + ":" + port + "); routes: " + routes);
                }
            }
        });
        none(problems, "runbook 4.1: route list incomplete");
    }

    private static Optional<Integer> portOf(NatsConf conf, String key) {
        Optional<Object> v = conf.get(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        String s = String.valueOf(v.get());
        String digits = s.contains(":") ? s.substring(s.lastIndexOf(':') + 1) : s;
        try {
            return Optional.of(Integer.parseInt(digits.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Then("every node's JetStream configuration has the zone's client, cluster and monitoring ports")
    public void ports() {
        Settings.Ports p = Settings.of(zone.env()).ports();
        List<String> problems = new ArrayList<>();
        natsConfs().forEach((h, conf) -> {
            Optional<Integer> client = conf.get("port").isPresent() ? portOf(conf, "port") : portOf(conf, "listen");
            Optional<Integer> monitor = conf.get("http_port").isPresent() ? portOf(conf, "http_port") : portOf(conf, "http");
            Optional<Integer> cluster = conf.get("cluster.port").isPresent() ? portOf(conf, "cluster.port") : portOf(conf, "cluster.listen");
            if (!client.orElse(4222).equals(p.natsClient())) {
                problems.add(h.name() + " listens for clients on " + client.orElse(4222) + ", expected " + p.natsClient());
            }
            if (!monitor.map(m -> m == p.natsMonitor()).orElse(false)) {
                problems.add(h.name() + "'s monitoring port is " + monitor.map(String::valueOf).orElse("not set") + ", expected " + p.natsMonitor());
            }
            if (!cluster.map(c -> c == p.natsCluster()).orElse(false)) {
                problems.add(h.name() + "'s cluster port is " + cluster.map(String::valueOf).orElse("not set") + ", expected " + p.natsCluster());
            }
        });
        none(problems, "runbook 4.1: ports differ from the zone's");
    }

    @Then("every node's JetStream configuration keeps its data in the JetStream data directory")
    public void storeDir() {
        String expected = Settings.of(zone.env()).paths().jetstreamData();
        List<String> problems = new ArrayList<>();
        natsConfs().forEach((h, conf) -> {
            String dir = conf.string("jetstream.store_dir").or(() -> conf.string("jetstream.store")).orElse("(not set)");
            if (!dir.replaceAll("/+$", "").equals(expected.replaceAll("/+$", ""))) {
                problems.add(h.name() + " stores JetStream data in " + dir + ", expected " + expected);
            }
        });
        none(problems, "runbook 4.1: data directory mapping wrong");
    }

    // ---- 4.2 keepalived ------------------------------------------------------------------------------

    private Map<Host, KeepalivedConf.VrrpInstance> vrrp() {
        Map<Host, KeepalivedConf.VrrpInstance> out = new LinkedHashMap<>();
        for (Host h : zone.hostsRunning("keepalived")) {
            KeepalivedConf conf;
            try {
                conf = KeepalivedConf.parse(read(h, Settings.of(zone.env()).paths().keepalivedConfig()));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(Settings.of(zone.env()).paths().keepalivedConfig() + " on " + h.name() + " does not parse: " + e.getMessage());
            }
            check(conf.instances().size() == 1, h.name() + " has " + conf.instances().size() + " VRRP instances, expected one");
            if (!conf.instances().isEmpty()) {
                out.put(h, conf.instances().get(0));
            }
        }
        return out;
    }

    @Then("the VIP nodes share one VRRP instance and router id")
    public void sameInstance() {
        Map<Host, KeepalivedConf.VrrpInstance> all = vrrp();
        Set<String> ids = new TreeSet<>();
        all.forEach((h, i) -> ids.add(i.name() + " / virtual_router_id " + i.virtualRouterId()));
        check(ids.size() == 1, "runbook 4.2: the VIP nodes disagree on the VRRP instance: " + ids);
    }

    @Then("{word}'s VRRP priority is higher than {word}'s")
    public void priority(String first, String second) {
        Map<Host, KeepalivedConf.VrrpInstance> all = vrrp();
        if (!all.containsKey(zone.host(first)) || !all.containsKey(zone.host(second))) {
            return; // a dry run: no configuration was read
        }
        int a = all.get(zone.host(first)).priority();
        int b = all.get(zone.host(second)).priority();
        check(a > b, "runbook 4.2: " + first + "'s VRRP priority " + a + " is not higher than " + second + "'s " + b);
    }

    @Then("each VIP node speaks unicast from its own address to the other VIP nodes")
    public void unicastPeers() {
        List<String> problems = new ArrayList<>();
        vrrp().forEach((h, i) -> {
            if (!i.unicastSrcIp().map(ip -> ip.equals(h.address())).orElse(false)) {
                problems.add(h.name() + "'s unicast_src_ip is " + i.unicastSrcIp().orElse("not set") + ", expected " + h.address());
            }
            Set<String> expected = new TreeSet<>();
            zone.vipHosts().stream().filter(o -> o != h).forEach(o -> expected.add(o.address()));
            if (!new TreeSet<>(i.unicastPeers()).equals(expected)) {
                problems.add(h.name() + "'s unicast peers are " + i.unicastPeers() + ", expected " + expected);
            }
        });
        none(problems, "runbook 4.2: unicast peers incorrect");
    }

    @Then("the notify and track scripts keepalived names are present and executable on every VIP node")
    public void scripts() {
        List<String> problems = onEachHost(zone.hostsRunning("keepalived"), (h, found) -> {
            KeepalivedConf conf = KeepalivedConf.parse(read(h, Settings.of(zone.env()).paths().keepalivedConfig()));
            if (conf.instances().isEmpty()) {
                found.add(h.name() + " has no VRRP instance");
                return;
            }
            KeepalivedConf.VrrpInstance i = conf.instances().get(0);
            if (i.notifyCommands().isEmpty()) {
                found.add(h.name() + "'s VRRP instance has no notify hook: promotion would never start the controller");
            }
            if (i.trackScripts().isEmpty()) {
                found.add(h.name() + "'s VRRP instance tracks no health script");
            }
            List<String> commands = new ArrayList<>(i.notifyCommands().values());
            for (String track : i.trackScripts()) {
                String cmd = conf.scripts().get(track);
                if (cmd == null) {
                    found.add(h.name() + " tracks script " + track + ", which no vrrp_script defines");
                } else {
                    commands.add(cmd);
                }
            }
            for (String cmd : commands) {
                String file = cmd.strip().split("\\s+")[0];
                if (!h.exec("test -f " + q(file) + " && test -x " + q(file)).ok()) {
                    found.add(h.name() + ": " + file + " is missing or not executable");
                }
            }
        });
        none(problems, "runbook 4.2: notify or track scripts missing");
    }

    @Then("every VIP node is configured with the zone's VIP, by keepalived or under the zone's lease")
    public void vipConfigured() {
        String vip = zone.env().vip().toString();
        List<String> problems = new ArrayList<>();
        Optional<Settings.VipLease> lease = Settings.of(zone.env()).vipLease();
        vrrp().forEach((h, i) -> {
            if (lease.isEmpty() && !i.virtualIpaddresses().equals(List.of(vip))) {
                problems.add(h.name() + " carries " + i.virtualIpaddresses() + ", expected " + vip);
            }
            if (lease.isPresent()) {
                // keepalived must not carry the VIP itself: it would add it on MASTER, lease or not.
                if (!i.virtualIpaddresses().isEmpty()) {
                    problems.add(h.name() + "'s keepalived carries " + i.virtualIpaddresses() + " itself, though the zone gives the VIP"
                            + " only under its lease (two MASTERs would both hold it)");
                }
                Map<String, String> settings;
                try {
                    // KEY=value shell assignments, the format os-release has: its parser reads them
                    settings = OsRelease.parse(read(h, Settings.VipLease.AGENT_SETTINGS)).values();
                } catch (IllegalArgumentException e) {
                    problems.add(h.name() + "'s " + Settings.VipLease.AGENT_SETTINGS + " cannot be read: " + e.getMessage());
                    return;
                }
                if (!vip.equals(settings.get("VIP"))) {
                    problems.add(h.name() + "'s lease agent (" + Settings.VipLease.AGENT_SETTINGS + ") has VIP=" + settings.get("VIP") + ", expected " + vip);
                }
                if (!lease.get().bucket().equals(settings.get("LEASE_BUCKET"))) {
                    problems.add(h.name() + "'s lease agent uses bucket " + settings.get("LEASE_BUCKET") + ", expected " + lease.get().bucket());
                }
                CommandResult enabled = h.exec("systemctl is-enabled " + Settings.VipLease.AGENT_UNIT);
                if (!enabled.stdout().strip().equals("enabled")) {
                    problems.add(h.name() + ": " + Settings.VipLease.AGENT_UNIT + " is " + enabled.stdout().strip()
                            + ", not enabled: nothing would hold the lease");
                }
            }
        });
        none(problems, "runbook 4.2: VIP settings incorrect");
    }

    // ---- 4.3 controller artifacts -----------------------------------------------------------------------

    @Then("every VIP node has its certificate, key and CA, the key readable by its owner only")
    public void certsAndKey() {
        Settings.Certificates c = Settings.of(zone.env()).certificates();
        List<String> problems = onEachHost(zone.hostsRunning("controller"), (h, found) -> {
            h.exec(h.asRoot("ls -l " + q(Settings.of(zone.env()).paths().certDir())));
            for (String f : List.of(c.certificate(), c.ca(), c.key())) {
                if (!h.exec(h.asRoot("test -s " + q(Settings.of(zone.env()).paths().certFile(f)))).ok()) {
                    found.add(h.name() + " lacks " + Settings.of(zone.env()).paths().certFile(f));
                }
            }
            String key = Settings.of(zone.env()).paths().certFile(c.key());
            CommandResult st = h.exec(h.asRoot("stat -c '%a %U' " + q(key)));
            if (st.ok()) {
                String[] parts = st.stdout().strip().split(" ");
                if (parts.length != 2 || !parts[0].matches("[0-7]+")) {
                    found.add(h.name() + ": stat of " + key + " answered '" + st.stdout().strip() + "'");
                    return;
                }
                int mode = Integer.parseInt(parts[0], 8);
                if ((mode & 0077) != 0) {
                    found.add(h.name() + ": " + key + " has mode " + parts[0] + ", readable beyond its owner");
                }
                if (!parts[1].equals(c.keyOwner())) {
                    found.add(h.name() + ": " + key + " is owned by " + parts[1] + ", expected " + c.keyOwner());
                }
            }
            found.addAll(readableBeyondOwner(h, key, c.keyOwner()));
        });
        none(problems, "runbook 4.3: certificates or key permissions wrong");
    }

    /**
     * "Readable by its owner only", tried: the owner opens the key; a process of another user
     * ({@code nobody}), and one of another user in the key's group, cannot (setpriv drops to
     * them; nothing of the key is read into the evidence: {@code test -r} only asks).
     */
    private List<String> readableBeyondOwner(Host h, String key, String owner) {
        List<String> problems = new ArrayList<>();
        String k = q(key);
        CommandResult tried = h.exec(h.asRoot("for who in owner other group; do case $who in"
                + " owner) r=$(setpriv --reuid=" + q(owner) + " --regid=$(id -g " + q(owner) + ") --clear-groups test -r " + k + " 2>&1; echo $?);;"
                + " other) r=$(setpriv --reuid=65534 --regid=65534 --clear-groups test -r " + k + " 2>&1; echo $?);;"
                + " group) r=$(setpriv --reuid=65534 --regid=$(stat -c %g " + k + ") --clear-groups test -r " + k + " 2>&1; echo $?);;"
                + " esac; echo \"$who $r\"; done"));
        java.util.Map<String, String> answers = new java.util.LinkedHashMap<>();
        for (String line : tried.stdout().split("\n")) {
            String[] parts = line.strip().split(" ", 2);
            if (parts.length == 2) {
                answers.put(parts[0], parts[1].strip());
            }
        }
        if (!answers.getOrDefault("owner", "").equals("0")) {
            problems.add(h.name() + ": the owner " + owner + " cannot read " + key + " (" + answers.getOrDefault("owner", "no answer") + ")");
        }
        if (answers.getOrDefault("other", "").equals("0")) {
            problems.add(h.name() + ": " + key + " is readable by another user (nobody), not by its owner only");
        }
        if (answers.getOrDefault("group", "").equals("0")) {
            problems.add(h.name() + ": " + key + " is readable by another member of its group, not by its owner only");
        }
        return problems;
    }

    /**
     * The controller's effective settings on a node: the runbook's docker-compose.yml where there
     * is one, otherwise the environment files of the controller's unit, in systemd's order (a later
     * file wins, as for systemd).
     */
    private Map<String, String> controllerSettings(Host h) {
        Map<String, String> settings = new LinkedHashMap<>();
        String manifest = Settings.of(zone.env()).paths().controllerManifest();
        if (h.exec("test -f " + q(manifest)).ok()) {
            for (String line : read(h, manifest).split("\n")) {
                String l = line.strip().replaceFirst("^- ", "");
                if (l.startsWith("image:")) {
                    settings.put("IMAGE", l.substring("image:".length()).strip().replace("\"", ""));
                }
                if (l.startsWith("BIND_ADDRESS")) {
                    settings.put("BIND_ADDRESS", l.replaceFirst("BIND_ADDRESS\\s*[:=]\\s*", "").replace("\"", "").strip());
                }
            }
            return settings;
        }
        String files = h.exec("systemctl show -p EnvironmentFiles --value " + zone.unit("controller")).stdout();
        for (String entry : files.split("\n")) {
            String path = entry.strip().split("\\s+")[0];
            if (path.isEmpty()) {
                continue;
            }
            CommandResult r = h.exec(h.asRoot("cat " + q(path.replaceFirst("^-", ""))));
            for (String line : r.stdout().split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.strip().startsWith("#")) {
                    settings.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replace("\"", ""));
                }
            }
        }
        return settings;
    }

    @Then("the controller's manifest on every VIP node names an approved image")
    public void approvedImage() {
        List<String> approved = Settings.of(zone.env()).controller().approvedImages();
        check(!approved.isEmpty(), "the environment approves no controller image (controller.approved_images)");
        List<String> problems = onEachHost(zone.hostsRunning("controller"), (h, found) -> {
            String image = controllerSettings(h).get("IMAGE");
            if (image == null) {
                found.add(h.name() + "'s controller manifest has no image reference");
            } else if (!approved.contains(image)) {
                found.add(h.name() + " deploys " + image + ", not an approved image " + approved);
            }
        });
        none(problems, "runbook 4.3: controller image not approved");
    }

    @Then("the controller's manifest on every VIP node binds it to the VIP, not a wildcard address")
    public void bindAddress() {
        String vip = zone.env().vip().address().toString();
        List<String> problems = onEachHost(zone.hostsRunning("controller"), (h, found) -> {
            String bind = controllerSettings(h).get("BIND_ADDRESS");
            if (bind == null) {
                found.add(h.name() + "'s controller has no BIND_ADDRESS");
            } else if (!bind.equals(vip)) {
                found.add(h.name() + "'s controller binds to " + bind + (Set.of("0.0.0.0", "::", "*", "[::]").contains(bind)
                        ? " (a wildcard address)" : "") + ", not the VIP " + vip);
            }
        });
        none(problems, "runbook 4.3: bind address is not VIP-specific");
    }

    // 4.4's "the {word} unit is enabled on every node that runs it" is every profile's: io.triad.steps.common.UnitSteps
}
