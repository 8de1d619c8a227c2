package io.triad.tech.nats;

import io.triad.probe.parse.Recorded;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatsConfTest {

    @Test
    void harnessRenderedConfig() {
        NatsConf c = NatsConf.parse(Recorded.read("nats-sim-alpha.conf"));
        assertEquals("sim-alpha", c.string("server_name").orElseThrow());
        assertEquals("0.0.0.0:4222", c.string("listen").orElseThrow());
        assertEquals(OptionalLong.of(8222), c.number("http"));
        assertEquals("/data/jetstream", c.string("jetstream.store_dir").orElseThrow());
        assertEquals("1GB", c.get("jetstream.max_file_store").orElseThrow(), "sizes stay strings");
        assertEquals("sim", c.string("cluster.name").orElseThrow());
        assertEquals("0.0.0.0:6222", c.string("cluster.listen").orElseThrow());
        assertEquals(List.of("nats-route://10.213.77.11:6222", "nats-route://10.213.77.12:6222",
                "nats-route://10.213.77.13:6222"), c.strings("cluster.routes"));
        assertTrue(c.get("cluster.nope").isEmpty());
        assertTrue(c.strings("accounts").isEmpty());
        assertEquals(List.of("sim"), c.strings("cluster.name"), "a single string is a one-element list");
        assertTrue(c.notes().isEmpty());
    }

    @Test
    void docsStyleConfigWithCommentsVariablesAndNestedBlocks() {
        NatsConf c = NatsConf.parse(Recorded.read("nats-docs-cluster.conf"));
        assertEquals(OptionalLong.of(4222), c.number("port"));
        assertEquals("0.0.0.0", c.string("net").orElseThrow(), "// comment after an unquoted value");
        assertEquals(OptionalLong.of(8222), c.number("http_port"), "key = value");
        assertEquals("n1-c1", c.string("server_name").orElseThrow(), "key value");
        assertEquals(Boolean.FALSE, c.get("debug").orElseThrow());
        assertEquals(Boolean.TRUE, c.get("trace").orElseThrow());
        assertEquals("1MB", c.string("max_payload").orElseThrow());
        assertEquals("2m", c.string("ping_interval").orElseThrow());
        assertEquals("T0pS3cr3t", c.string("authorization.users.0.password").orElseThrow(), "$PASS resolved");
        assertEquals("s3cr3t!", c.string("authorization.users.1.password").orElseThrow());
        assertEquals(List.of("orders.>", "_INBOX.>"), c.strings("authorization.users.1.permissions.publish"));
        assertEquals(0.5, c.get("authorization.timeout").orElseThrow());
        assertEquals("/var/lib/nats/js", c.string("jetstream.store_dir").orElseThrow(), "single quotes");
        assertEquals("localhost:4244", c.string("cluster.listen").orElseThrow(), "# comment after the value");
        assertEquals("$2a$11$xH8dkGrty1cBNtZjhPeWJewu/YPbSU.rXJWmS6SFilOBXzmZoMk9m",
                c.string("cluster.authorization.password").orElseThrow(), "bcrypt hash is not a variable");
        assertEquals(List.of("nats-route://user1:pass1@127.0.0.1:4245", "nats-route://user2:pass2@127.0.0.1:4246"),
                c.strings("cluster.routes"), "comma and newline separators, commented-out entry skipped");
        assertEquals(List.of("line 56: include ./accounts.conf not followed"), c.notes());
        assertTrue(c.number("cluster.name").isEmpty());
        assertTrue(c.get("authorization").orElseThrow() instanceof Map);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.strings("authorization.users"));
        assertTrue(e.getMessage().contains("nested map"), e.getMessage());
    }

    @Test
    void variantsOfTheSyntax() {
        NatsConf c = NatsConf.parse("{\n  port = 4222; \"quoted key\": \"a \\\"b\\\"\\tc\"\n  cluster{ name: x, routes [a, b] }\n"
                + "  n: -5\n  digits: \"6222\"\n  when: 2026-01-01T00:00:00Z\n}\n");
        assertEquals(OptionalLong.of(4222), c.number("port"));
        assertEquals("a \"b\"\tc", c.string("quoted key").orElseThrow());
        assertEquals(List.of("a", "b"), c.strings("cluster.routes"));
        assertEquals(OptionalLong.of(-5), c.number("n"));
        assertEquals(OptionalLong.of(6222), c.number("digits"), "a string of digits is a number");
        assertEquals("2026-01-01T00:00:00Z", c.string("when").orElseThrow());
    }

    @Test
    void malformedConfigsNameTheLine() {
        assertMalformed("port: 4222\ncluster {\n  name: sim\n", "line 2", "never closed");
        assertMalformed("a: 1\n}\n", "line 2", "'}'");
        assertMalformed("a: 1\nroutes: [\n  x\n", "line 2", "]");
        assertMalformed("a: 1\nname: \"sim\n", "line 2", "unterminated");
        assertMalformed("a: 1\nport:\nb: 2\n", "line 2", "'port' has no value");
        assertMalformed("a: 1\nb: \"x\\q\"\n", "line 2", "invalid escape");
        assertMalformed("a: 1 2\n", "line 1", "after the value of key 'a'");
    }

    private static void assertMalformed(String text, String line, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NatsConf.parse(text));
        assertTrue(e.getMessage().startsWith(line + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(what), e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }
}
