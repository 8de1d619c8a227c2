package io.triad.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.triad.env.Environment;
import io.triad.env.EnvironmentLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Ansible inventory the harness writes for a provisioning: hosts, groups, and the zone's inputs as variables. */
class InventoryTest {

    @TempDir
    Path dir;

    @Test
    void theBsfgZoneAsAnInventory() throws Exception {
        Environment env = EnvironmentLoader.load(SimulatedTriad.root().resolve("environments/bsfg-triad/simulated.yaml"));
        Path inv = Provisioning.writeInventory(env, dir.resolve("id_ecdsa"), dir.resolve("known_hosts"), dir);
        JsonNode all = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(inv)).path("all");
        JsonNode vars = all.path("vars");
        assertEquals("root", vars.path("ansible_user").asText());
        assertTrue(vars.path("ansible_ssh_common_args").asText().contains("UserKnownHostsFile=" + dir.resolve("known_hosts")));
        assertEquals("sim", vars.path("triad_zone").asText());
        assertEquals("10.213.77.10/24", vars.path("triad_vip").asText());
        assertEquals("10.213.77.11", vars.path("triad_hosts").path("alpha").path("address").asText());
        assertEquals(6222, vars.path("triad_settings").path("ports").path("nats_cluster").asInt());
        assertEquals(6000, vars.path("triad_settings").path("vip_lease").path("ttl").asInt(), "durations in milliseconds");
        assertEquals("/opt/bsfg/certs/", vars.path("triad_settings").path("paths").path("cert_dir").asText());
        assertEquals("gamma", vars.path("triad_settings").path("backup").path("role").asText());
        assertEquals(2592000000L, vars.path("triad_thresholds").path("certificate_horizon").asLong());
        assertEquals("10.213.77.0/24", vars.path("triad_subnet").asText());
        JsonNode children = all.path("children");
        assertEquals("10.213.77.11", children.path("nodes").path("hosts").path("alpha").path("ansible_host").asText());
        assertTrue(children.path("role_gamma").path("hosts").has("gamma"));
        assertTrue(children.path("support").path("hosts").size() >= 1, "the support hosts are listed too");
    }
}
