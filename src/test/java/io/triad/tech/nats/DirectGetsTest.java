package io.triad.tech.nats;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recorded from a follower of the unibus cluster (nats-server 2.12.15) 3 s after the members bucket
 * was raised to R3 (its replica had joined the direct-get group) while the rooms bucket was still R1
 * on another node (no replica here: its gets go over a route).
 */
class DirectGetsTest {

    @Test
    void aFollowerWhoseReplicaJoinedTheQueueGroupAnswersLocally() throws IOException {
        DirectGets.Local members = DirectGets.local(recorded("subsz-direct-get-follower.json"), "KV_UNIBUS_members");
        assertTrue(members.answers());
        assertEquals(0, members.answered());
    }

    @Test
    void aServerWithoutAReplicaDoesNotAndTheJetStreamApiImportIsNotMistakenForOne() throws IOException {
        // the page lists "$JS.API.>" (the account's JetStream API, no queue group): not a direct-get member
        String page = recorded("subsz-direct-get-no-replica.json");
        assertTrue(page.contains("\"$JS.API.\\u003e\""), "the recorded page lists the API import (JSON-escaped)");
        assertFalse(DirectGets.local(page, "KV_UNIBUS_rooms").answers());
        // a stream whose name only begins like this one's is another stream
        assertFalse(DirectGets.local(recorded("subsz-direct-get-follower.json"), "KV_UNIBUS_mem").answers());
    }

    @Test
    void allowDirectIsReadFromTheStreamsConfiguration() throws IOException {
        String jsz = recorded("jsz/unibus-homer-config.json");
        assertTrue(DirectGets.allowed(jsz, "KV_UNIBUS_members"));
        assertFalse(DirectGets.allowed(jsz.replace("\"allow_direct\": true", "\"allow_direct\": false")
                .replace("\"allow_direct\":true", "\"allow_direct\":false"), "KV_UNIBUS_members"));
        assertThrows(IllegalArgumentException.class, () -> DirectGets.allowed(jsz, "KV_UNIBUS_rooms"));
        assertThrows(IllegalArgumentException.class, () -> DirectGets.local("<html>", "KV_UNIBUS_members"));
    }

    static String recorded(String name) throws IOException {
        return io.triad.Recorded.text(name);
    }
}
