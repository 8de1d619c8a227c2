package io.triad.tech.vrrp;

import io.triad.probe.parse.Recorded;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeepalivedConfTest {

    @Test
    void harnessRenderedConfig() {
        KeepalivedConf c = KeepalivedConf.parse(Recorded.read("keepalived-sim-alpha.conf"));
        assertEquals(Map.of("chk_jetstream", "/opt/bsfg/bin/check-jetstream"), c.scripts());
        assertEquals(List.of(new KeepalivedConf.VrrpInstance("BSFG_sim", "BACKUP", "eth0", 51, 150,
                Optional.of("10.213.77.11"), List.of("10.213.77.12"), List.of("10.213.77.10/24"),
                List.of("chk_jetstream"), Map.of("notify", "/opt/bsfg/bin/bsfg-notify"))), c.instances());
        assertTrue(c.problems().isEmpty());
    }

    @Test
    void upstreamStyleConfig() {
        KeepalivedConf c = KeepalivedConf.parse(Recorded.read("keepalived-upstream-style.conf"));
        assertEquals(Map.of("chk_haproxy", "/usr/bin/killall -0 haproxy",
                "chk_nats", "/usr/local/bin/check-nats --port 4222"), c.scripts());
        assertEquals(2, c.instances().size());
        KeepalivedConf.VrrpInstance vi1 = c.instances().get(0);
        assertEquals("MASTER", vi1.state());
        assertEquals(255, vi1.priority());
        assertEquals(List.of("192.168.200.12", "192.168.200.13"), vi1.unicastPeers());
        assertEquals(List.of("192.168.200.16/24", "192.168.200.17/24"), vi1.virtualIpaddresses());
        assertEquals(List.of("chk_haproxy", "chk_nats"), vi1.trackScripts());
        assertEquals(Map.of("notify_master", "/etc/keepalived/notify.sh MASTER",
                "notify_backup", "/etc/keepalived/notify.sh BACKUP",
                "notify_fault", "/etc/keepalived/notify.sh FAULT",
                "notify_stop", "/etc/keepalived/notify.sh STOP"), vi1.notifyCommands());
        KeepalivedConf.VrrpInstance vi2 = c.instances().get(1);
        assertEquals("VI_2", vi2.name(), "brace on the line after the name");
        assertEquals(100, vi2.priority());
        assertEquals(Optional.empty(), vi2.unicastSrcIp());
        assertTrue(vi2.unicastPeers().isEmpty());
        assertTrue(vi2.notifyCommands().isEmpty());
    }

    @Test
    void crossChecksFailOnAMisconfiguredInstance() {
        String text = Recorded.read("keepalived-sim-alpha.conf")
                .replace("chk_jetstream\n  }", "chk_jetstrem\n  }")
                .replace("    10.213.77.12\n", "    10.213.77.12\n    10.213.77.11\n");
        KeepalivedConf c = KeepalivedConf.parse(text);
        assertEquals(List.of("BSFG_sim: track_script chk_jetstrem is not a defined vrrp_script",
                "BSFG_sim: unicast_src_ip 10.213.77.11 is also listed as a unicast_peer"), c.problems());
    }

    @Test
    void malformedConfigsNameTheLine() {
        String good = Recorded.read("keepalived-sim-alpha.conf");
        assertMalformed(good.replace("  virtual_router_id 51", "  virtual_router_id 300"),
                "line 15: virtual_router_id 300 is outside 1-255");
        assertMalformed(good.replace("  priority 150", "  priority high"), "line 16: priority 'high' is not a number");
        assertMalformed(good.replace("  state BACKUP", "  state SLAVE"), "line 13: state must be MASTER or BACKUP, not SLAVE");
        assertMalformed(good.replace("  interface eth0\n", ""), "line 12: vrrp_instance BSFG_sim has no interface");
        assertMalformed(good.substring(0, good.lastIndexOf('}')), "line 12: block 'vrrp_instance BSFG_sim' is never closed");
        assertMalformed(good + "}\n", "line 30: '}' without a matching '{'");
        assertMalformed(good.replace("notify \"/opt/bsfg/bin/bsfg-notify\"", "notify \"/opt/bsfg/bin/bsfg-notify"),
                "line 28: unterminated double-quoted string");
        assertMalformed(good.replace("  script \"/opt/bsfg/bin/check-jetstream\"\n", ""),
                "line 6: vrrp_script chk_jetstream has no script");
    }

    private static void assertMalformed(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeepalivedConf.parse(text));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
