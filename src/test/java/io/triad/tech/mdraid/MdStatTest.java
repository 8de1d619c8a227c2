package io.triad.tech.mdraid;

import io.triad.probe.parse.Recorded;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MdStatTest {

    @Test
    void healthyRaid10AndRaid1() {
        MdStat s = MdStat.parse(Recorded.read("mdstat-healthy.txt"));
        assertEquals(List.of(
                new MdStat.Array("md1", "active", "raid10", List.of("sdd1", "sdc1", "sdb1", "sda1"), 4, 4, "[UUUU]",
                        Optional.empty(), OptionalDouble.empty()),
                new MdStat.Array("md0", "active", "raid1", List.of("nvme1n1p2", "nvme0n1p2"), 2, 2, "[UU]",
                        Optional.empty(), OptionalDouble.empty())), s.arrays());
        assertEquals(List.of(), s.problems());
    }

    @Test
    void degradedRaid1WithAFaultyMemberIsAProblem() {
        MdStat s = MdStat.parse(Recorded.read("mdstat-degraded.txt"));
        MdStat.Array md0 = s.arrays().get(0);
        assertEquals(2, md0.expected());
        assertEquals(1, md0.working());
        assertEquals("[U_]", md0.status());
        assertEquals(List.of("md0: member nvme1n1p2 is marked faulty (F)",
                "md0 is degraded: 1 of 2 members working [U_]"), s.problems());
    }

    @Test
    void recoveryInProgressIsAProblem() {
        MdStat s = MdStat.parse(Recorded.read("mdstat-recovery.txt"));
        MdStat.Array md0 = s.arrays().get(0);
        assertEquals(Optional.of("recovery"), md0.operation());
        assertEquals(12.6, md0.progressPercent().orElseThrow(), 1e-9);
        assertEquals(List.of("md0 is degraded: 1 of 2 members working [U_]", "md0: recovery = 12.6% in progress"),
                s.problems());
    }

    @Test
    void inactiveArrayPendingResyncAndRaid0() {
        MdStat s = MdStat.parse(Recorded.read("mdstat-resync-pending-inactive.txt"));
        assertEquals(3, s.arrays().size());
        MdStat.Array md127 = s.arrays().get(0);
        assertEquals("inactive", md127.state());
        assertEquals("", md127.level());
        assertEquals(List.of("sdc1"), md127.devices());
        MdStat.Array md2 = s.arrays().get(1);
        assertEquals("active", md2.state(), "(auto-read-only) is a qualifier, not the level");
        assertEquals("raid1", md2.level());
        assertEquals(Optional.of("resync"), md2.operation());
        assertTrue(md2.progressPercent().isEmpty());
        MdStat.Array md3 = s.arrays().get(2);
        assertEquals("raid0", md3.level());
        assertEquals("", md3.status(), "raid0 has no redundancy status");
        assertEquals(List.of("md127 is inactive", "md2: resync=PENDING"), s.problems());
    }

    @Test
    void noArrays() {
        MdStat s = MdStat.parse(Recorded.read("mdstat-empty.txt"));
        assertTrue(s.arrays().isEmpty());
        assertTrue(s.problems().isEmpty());
    }

    @Test
    void notMdstatIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MdStat.parse(Recorded.read("mdstat-missing.txt")));
        assertTrue(e.getMessage().contains("cat: /proc/mdstat: No such file or directory"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MdStat.parse("Personalities : [raid1]\nmd0 : active raid1 sda1[0] sdb1[1]\nunused devices: <none>\n"));
        assertEquals("line 2: md0 has no 'blocks' line after it", e.getMessage());
    }
}
