package io.triad.profile.plasmacloud;

import io.triad.history.History;
import io.triad.history.History.Outcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The drill client's lines (as its bash prints them from curl's answers) read into the history. */
class TrafficLinesTest {

    private static final String URL = "https://node02.plasma.test:2379";
    private final Map<String, Instant> invoked = new HashMap<>();

    private Optional<History.Op> parse(String line) {
        return Traffic.parse(line, Instant.parse("2026-11-23T22:40:01Z"), invoked, u -> u.equals(URL) ? "node02" : u);
    }

    @Test
    void aWriteIsAcknowledgedOnlyOnHttp200AndUnknownWhenItMayHaveBeenCommitted() {
        assertEquals(Optional.empty(), parse("B write triad-drill-ab12cd-5 " + URL));
        History.Op ok = parse("W triad-drill-ab12cd-5 " + URL + " 0 200 {\"key\":\"triad-drill-ab12cd-5\",\"revision\":57,\"node\":\"node02\"}")
                .orElseThrow();
        assertEquals(Outcome.OK, ok.outcome());
        assertEquals("node02", ok.node());
        assertEquals(Instant.parse("2026-11-23T22:40:01Z"), ok.invoke());
        assertEquals(Outcome.FAIL, parse("W k " + URL + " 7 000 ").orElseThrow().outcome(), "could not connect: never sent");
        assertEquals(Outcome.UNKNOWN, parse("W k " + URL + " 28 000 ").orElseThrow().outcome(), "timed out after sending");
        History.Op refused = parse("W k " + URL + " 0 503 {\"error\":\"etcdserver: request timed out\"}").orElseThrow();
        assertEquals(Outcome.UNKNOWN, refused.outcome(), "the store's timeout: the proposal may still commit");
        assertTrue(refused.detail().contains("request timed out"));
    }

    @Test
    void aReadOfAnOlderValueOrNoneIsStaleAndARefusalIsNot() {
        String body = "{\"key\":\"k\",\"value\":\"%s\",\"revision\":57,\"read_revision\":60,\"node\":\"node02\"}";
        assertEquals(Outcome.OK, parse("R k " + URL + " 0 5 200 " + body.formatted("5")).orElseThrow().outcome());
        History.Op older = parse("R k " + URL + " 0 5 200 " + body.formatted("4")).orElseThrow();
        assertEquals(Outcome.FAIL, older.outcome());
        assertTrue(older.detail().contains("answered value '4' after write 5"), older.detail());
        assertEquals(Outcome.FAIL, parse("R k " + URL + " 0 5 404 {\"error\":\"not found\"}").orElseThrow().outcome());
        assertEquals(Outcome.UNKNOWN, parse("R k " + URL + " 0 5 503 {\"error\":\"context deadline exceeded\"}").orElseThrow().outcome());
        assertEquals(Outcome.UNKNOWN, parse("R k " + URL + " 28 5 000 ").orElseThrow().outcome());
    }

    @Test
    void aLineCutShortIsDropped() {
        assertEquals(Optional.empty(), parse("W triad-drill-ab12cd-5 " + URL + " 0"));
        assertEquals(Optional.empty(), parse("R k " + URL + " 0 5 200 {not json"));
    }

    /**
     * The client stamps each line with its node's clock (bash's EPOCHREALTIME): a write is timed from
     * when it went out to when it came back, however late and in whatever burst its lines arrive.
     */
    @Test
    void aLineIsTimedByTheClientWhereItSaysWhen() {
        assertEquals(Optional.empty(), parse("@1795719666.032610 B write triad-drill-b9bbe7-0-6 " + URL));
        History.Op w = parse("@1795719666.219134 W triad-drill-b9bbe7-0-6 " + URL + " 0 200 {\"revision\":9}").orElseThrow();
        assertEquals(Instant.parse("2026-11-26T19:01:06.032610Z"), w.invoke());
        assertEquals(Instant.parse("2026-11-26T19:01:06.219134Z"), w.complete());
        assertEquals(Outcome.OK, w.outcome());
        // a locale's decimal comma, and a bash without EPOCHREALTIME: the arrival's time
        assertEquals(Instant.parse("2026-11-26T19:01:06.5Z"), parse("@1795719666,5 W k " + URL + " 7 000 ").orElseThrow().complete());
        assertEquals(Instant.parse("2026-11-23T22:40:01Z"), parse("@ W k " + URL + " 7 000 ").orElseThrow().complete());
    }
}
