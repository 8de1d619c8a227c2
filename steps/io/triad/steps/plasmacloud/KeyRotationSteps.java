package io.triad.steps.plasmacloud;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.zone.Nemesis;

import java.util.ArrayList;
import java.util.List;

/**
 * 10.1, the provisioning key's rotation carried out as the runbook writes it, from the zone's
 * workstation (its first support host): a current provisioning key (ssh-keygen -t ed25519) laid
 * in every node's root authorized_keys as the netboot image lays it, and accepted; then a new key
 * generated and copied to every node with ssh-copy-id (logged in with the current one), the old
 * key's line removed from each node's authorized_keys (logged in with the new one); then the new
 * key must reach every node and the old one be refused by every node: tried, with ssh in batch
 * mode, not read from a file (a node whose sshd takes keys from another source too keeps
 * accepting the old one). The host keys are pinned from the nodes themselves (read over the
 * harness's verified connection). The harness's own key is never touched; whatever the outcome
 * both scratch keys are removed from every node and from the workstation. Only where the
 * environment allows {@code key-rotation}.
 */
public class KeyRotationSteps extends PlasmaSupport {
    public KeyRotationSteps(io.triad.run.Run run) {
        super(run);
    }

    private static final String DIR = "/root/.triad-key-rotation";
    private Host workstation;
    private String oldKey; // the public key lines, as ssh-keygen wrote them
    private String newKey;

    private Host workstation() {
        check(!zone.env().supportHosts().isEmpty(), "the zone names no support host to act as the provisioning workstation");
        return zone.supportHost(zone.env().supportHosts().get(0).name());
    }

    /** ssh from the workstation with one key only, in batch mode, the nodes' host keys pinned. */
    private String ssh(String key, Host node, String command) {
        return "ssh -i " + DIR + "/" + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o PasswordAuthentication=no -o ConnectTimeout=5"
                + " -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + DIR + "/known_hosts root@" + node.address() + " " + q(command);
    }

    private static String firstLine(String text) {
        return text.strip().lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no output");
    }

    /** The key's blob (its second field): what identifies its line in an authorized_keys file. */
    private static String blob(String publicKeyLine) {
        String[] f = publicKeyLine.strip().split("\\s+");
        return f.length > 1 ? f[1] : publicKeyLine.strip();
    }

    private void undo() {
        for (Host n : zone.hosts()) {
            StringBuilder script = new StringBuilder("f=/root/.ssh/authorized_keys; [ -f \"$f\" ] || exit 0;");
            for (String k : new String[] {oldKey, newKey}) {
                if (k != null) {
                    script.append(" grep -vF ").append(q(blob(k))).append(" \"$f\" > \"$f.triad\"; cat \"$f.triad\" > \"$f\"; rm -f \"$f.triad\";");
                }
            }
            n.exec(n.asRoot("sh -c " + q(script.toString()))).requireOk();
        }
        workstation.exec(workstation.asRoot("rm -rf " + DIR)).requireOk();
    }

    @When("a current provisioning key, laid in every node's authorized_keys as the netboot image lays it, reaches every node from the workstation")
    public void currentKey() {
        new Nemesis(zone).requireAllowed("key-rotation");
        workstation = workstation();
        zone.faults().applied("scratch provisioning keys in the nodes' authorized_keys and on " + workstation.name(), this::undo);
        StringBuilder known = new StringBuilder();
        for (Host n : zone.hosts()) {
            for (String line : n.exec(n.asRoot("cat /etc/ssh/ssh_host_*_key.pub")).requireOk().stdout().strip().lines().toList()) {
                String[] f = line.split("\\s+");
                known.append(n.address()).append(' ').append(f[0]).append(' ').append(f[1]).append('\n');
            }
        }
        oldKey = workstation.exec(workstation.asRoot("rm -rf " + DIR + " && install -d -m 0700 " + DIR + " && printf '%s' " + q(known.toString())
                + " > " + DIR + "/known_hosts && ssh-keygen -q -t ed25519 -N '' -C provisioning-current@triad -f " + DIR + "/current && cat "
                + DIR + "/current.pub")).requireOk().stdout().strip();
        for (Host n : zone.hosts()) {
            n.exec(n.asRoot("install -d -m 0700 /root/.ssh && printf '%s\\n' " + q(oldKey) + " >> /root/.ssh/authorized_keys")).requireOk();
        }
        List<String> problems = new ArrayList<>();
        for (Host n : zone.hosts()) {
            CommandResult r = workstation.exec(workstation.asRoot(ssh("current", n, "true") + " 2>&1"));
            if (!r.ok()) {
                problems.add(n.name() + " refuses the current provisioning key: " + firstLine(r.stdout()));
            }
        }
        none(problems, "the current provisioning key");
    }

    @When("the key is rotated as the runbook writes it: a new key copied to every node with ssh-copy-id, the old one removed from authorized_keys")
    public void rotate() {
        newKey = workstation.exec(workstation.asRoot("ssh-keygen -q -t ed25519 -N '' -C provisioning-new@triad -f " + DIR + "/new && cat "
                + DIR + "/new.pub")).requireOk().stdout().strip();
        List<String> problems = new ArrayList<>();
        for (Host n : zone.hosts()) {
            // ssh-copy-id logs in with the current key (-o passes it to ssh) and appends the new one; -f: its own test of
            // whether the key is installed would log in with the current key too, and skip the copy
            CommandResult copy = workstation.exec(workstation.asRoot("ssh-copy-id -f -i " + DIR + "/new.pub -o IdentityFile=" + DIR + "/current"
                    + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=" + DIR + "/known_hosts root@"
                    + n.address() + " 2>&1"));
            if (!copy.ok()) {
                problems.add("ssh-copy-id of the new key to " + n.name() + " failed: " + firstLine(copy.stdout()));
                continue;
            }
            // the old key's line removed, logged in with the new key
            CommandResult remove = workstation.exec(workstation.asRoot(ssh("new", n, "f=/root/.ssh/authorized_keys; grep -vF "
                    + q(blob(oldKey)) + " \"$f\" > \"$f.new\" && cat \"$f.new\" > \"$f\" && rm -f \"$f.new\"") + " 2>&1"));
            if (!remove.ok()) {
                problems.add("the old key's removal on " + n.name() + ", logged in with the new key, failed: " + firstLine(remove.stdout()));
            }
        }
        none(problems, "the rotation");
    }

    @Then("the new key reaches every node and the old key is refused by every node, each tried from the workstation")
    public void rotated() {
        List<String> problems = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        for (Host n : zone.hosts()) {
            CommandResult fresh = workstation.exec(workstation.asRoot(ssh("new", n, "true") + " 2>&1"));
            CommandResult stale = workstation.exec(workstation.asRoot(ssh("current", n, "true") + " 2>&1"));
            seen.append(n.name()).append(": new key ").append(fresh.ok() ? "accepted" : "refused").append(", old key ")
                    .append(stale.ok() ? "accepted" : "refused (" + firstLine(stale.stdout()) + ")").append('\n');
            if (!fresh.ok()) {
                problems.add(n.name() + " refuses the new provisioning key: " + firstLine(fresh.stdout()));
            }
            if (stale.ok()) {
                problems.add(n.name() + " still accepts the old provisioning key after its rotation (removed from /root/.ssh/authorized_keys)");
            }
        }
        zone.evidence().note("the provisioning keys tried from " + workstation.name(), seen.toString().strip());
        none(problems, "the rotated provisioning key");
    }
}
