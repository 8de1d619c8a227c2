package io.triad.profile.threephoenix;

import io.triad.profile.threephoenix.KillTest.Answer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The kill test's judgement on hand-built prober histories: the site carried by both other
 * instances, and the replacement joined through the ingress; an ingress that routes to one
 * instance only, or never to the replacement, fails it although every answer was a 200.
 */
class KillTestTest {

    private static final Instant T0 = Instant.parse("2026-11-25T22:00:00Z");
    private static final Map<String, String> OTHERS = Map.of("phoenix-a", "phoenix-a", "phoenix-c", "phoenix-c");

    /** Answers every 200 ms from T0 for {@code seconds}, served in turn by {@code instances} (a round-robin ingress). */
    private static List<Answer> roundRobin(int fromMillis, int seconds, String code, String... instances) {
        List<Answer> out = new ArrayList<>();
        for (int i = 0; i < seconds * 5; i++) {
            out.add(new Answer(T0.plusMillis(fromMillis + i * 200L), code, instances[i % instances.length]));
        }
        return out;
    }

    private static Instant at(int millis) {
        return T0.plusMillis(millis);
    }

    @Test
    void aHealthyIngressPasses() {
        List<Answer> answers = new ArrayList<>(roundRobin(0, 5, "200", "phoenix-a", "phoenix-b", "phoenix-c"));
        answers.addAll(roundRobin(5_000, 8, "200", "phoenix-a", "phoenix-c")); // b killed at 5 s
        answers.addAll(roundRobin(13_000, 3, "200", "phoenix-a", "phoenix-b", "phoenix-c")); // b's replacement, healthy at 7 s, in from 13 s
        assertEquals(List.of(), KillTest.othersSilent(answers, at(5_000), at(13_000), OTHERS));
        assertEquals(Optional.of(at(13_200)), KillTest.joined(answers, "phoenix-b", at(7_000)));
    }

    @Test
    void anIngressThatRoutesToOneOtherInstanceOnlyIsCaught() {
        List<Answer> answers = roundRobin(5_000, 8, "200", "phoenix-a");
        assertEquals(List.of("phoenix-c (instance phoenix-c)"), KillTest.othersSilent(answers, at(5_000), at(13_000), OTHERS));
    }

    @Test
    void failedAnswersDoNotCountAsServed() {
        List<Answer> answers = new ArrayList<>(roundRobin(5_000, 8, "200", "phoenix-a"));
        answers.addAll(roundRobin(5_100, 8, "502", "phoenix-c"));
        assertEquals(List.of("phoenix-c (instance phoenix-c)"), KillTest.othersSilent(answers, at(5_000), at(13_000), OTHERS));
    }

    @Test
    void answersOutsideTheOutageDoNotCount() {
        List<Answer> answers = new ArrayList<>(roundRobin(0, 5, "200", "phoenix-a", "phoenix-b", "phoenix-c"));
        answers.addAll(roundRobin(5_000, 8, "200", "phoenix-a"));
        assertEquals(List.of("phoenix-c (instance phoenix-c)"), KillTest.othersSilent(answers, at(5_000), at(13_000), OTHERS));
    }

    @Test
    void aReplacementTheIngressNeverReachesHasNotJoined() {
        List<Answer> answers = new ArrayList<>(roundRobin(0, 5, "200", "phoenix-a", "phoenix-b", "phoenix-c"));
        answers.addAll(roundRobin(5_000, 30, "200", "phoenix-a", "phoenix-c"));
        assertEquals(Optional.empty(), KillTest.joined(answers, "phoenix-b", at(7_000)));
        // its answers from before the kill are not a join
        assertEquals(Optional.empty(), KillTest.joined(answers, "phoenix-b", at(5_000)));
    }
}
