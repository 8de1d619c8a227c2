package io.triad.steps.sfa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cucumber.java.en.Then;
import io.triad.host.CommandResult;
import io.triad.host.Host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** dcs.1: the etcd the database cluster stands on, asked on every node (the runbook's etcdctl endpoint health --cluster). */
public class HealthSteps extends SfaSupport {
    public HealthSteps(io.triad.run.Run run) {
        super(run);
    }

    static final ObjectMapper JSON = new ObjectMapper();

    @Then("asked on every database node, etcd lists exactly the inventory's nodes as its members, every endpoint healthy, and every member names the same leader")
    public void etcdHealthy() {
        Set<String> inventory = new TreeSet<>();
        nodes().forEach(h -> inventory.add(h.name()));
        Map<String, String> leaders = new TreeMap<>();
        List<String> problems = onEachHost(nodes(), (h, found) -> {
            CommandResult health = h.exec("ETCDCTL_API=3 etcdctl --endpoints=" + endpoint(h) + " endpoint health --cluster -w json");
            parsed(h, "etcdctl endpoint health", found, () -> tree(health.stdout())).ifPresent(list -> {
                if (list.size() != inventory.size()) {
                    found.add(h.name() + ": endpoint health --cluster answered for " + list.size() + " endpoints, not " + inventory.size());
                }
                for (JsonNode e : list) {
                    if (!e.path("health").asBoolean(false)) {
                        found.add(h.name() + ": " + e.path("endpoint").asText() + " is not healthy (" + e.path("error").asText("no error given") + ")");
                    }
                }
            });
            CommandResult members = h.exec("ETCDCTL_API=3 etcdctl --endpoints=" + endpoint(h) + " member list -w json");
            parsed(h, "etcdctl member list", found, () -> tree(members.stdout())).ifPresent(m -> {
                Set<String> names = new TreeSet<>();
                m.path("members").forEach(x -> names.add(x.path("name").asText()));
                if (!names.equals(inventory)) {
                    found.add(h.name() + ": etcd's members are " + names + ", not the inventory's " + inventory);
                }
            });
            CommandResult status = h.exec("ETCDCTL_API=3 etcdctl --endpoints=" + endpoint(h) + " endpoint status -w json");
            parsed(h, "etcdctl endpoint status", found, () -> tree(status.stdout())).ifPresent(s -> {
                JsonNode st = s.isArray() && !s.isEmpty() ? s.get(0).path("Status") : s.path("Status");
                String leader = Long.toHexString(st.path("leader").asLong());
                synchronized (leaders) {
                    leaders.put(h.name(), leader);
                }
            });
        });
        zone.evidence().note("etcd leader (member id) named by each member", leaders.toString());
        if (new TreeSet<>(leaders.values()).size() > 1) {
            problems.add("the members name different leaders: " + leaders);
        }
        if (leaders.containsValue("0")) {
            problems.add("a member names no leader: " + leaders);
        }
        none(problems, "etcd is not a healthy cluster of the inventory's nodes");
    }

    /** The node's own etcd client URL. */
    static String endpoint(Host h) {
        return "http://" + h.address() + ":2379";
    }

    static JsonNode tree(String json) {
        try {
            JsonNode n = JSON.readTree(json.isBlank() ? "null" : json);
            if (n == null || n.isNull() || n.isMissingNode()) {
                throw new IllegalArgumentException("no answer");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json.lines().findFirst().orElse(""));
        }
    }
}
