package io.triad.tech.postgres;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PostgreSQL server on a host, as {@link Servers#SCRIPT} printed it on phoenix-c of the
 * three-phoenix simulated zone with the mutant writable-copy-on-c laid (recorded/postgres/README.md):
 * the zone's standby on 5432 and the copy on 5433, the same database, one in recovery, one not.
 */
class ServersTest {

    @Test
    void theStandbyAndAWritableCopyOfTheSameDatabase() throws IOException {
        List<Servers.Server> servers = Servers.parse("phoenix-c", io.triad.Recorded.text("postgres/servers-phoenix-c-with-copy.txt"));
        assertEquals(2, servers.size(), servers.toString());
        Servers.Server standby = servers.stream().filter(s -> s.port().equals("5432")).findFirst().orElseThrow();
        Servers.Server copy = servers.stream().filter(s -> s.port().equals("5433")).findFirst().orElseThrow();
        assertFalse(standby.writable());
        assertTrue(copy.writable());
        assertEquals("/var/lib/postgresql/15/report-copy", copy.dataDirectory());
        assertEquals(standby.systemIdentifier(), copy.systemIdentifier(), "a copy keeps the database's system identifier");
        assertNull(copy.error());
    }
}
