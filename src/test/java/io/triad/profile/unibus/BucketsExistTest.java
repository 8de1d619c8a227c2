package io.triad.profile.unibus;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The steady state's "control-plane buckets exist" part on recorded {@code /jsz?streams=true} pages:
 * a fresh cluster whose service has not created every bucket yet is not steady (make test once ran
 * an R1 item on such a zone: "stream not found").
 */
class BucketsExistTest {

    @Test
    void bucketsNoNodeListsAreMissing() throws java.io.IOException {
        // recorded on a zone whose pages list only the members and nonce buckets
        List<String> pages = List.of(recorded("jsz/unibus-isolated-leader-0s.json"), recorded("jsz/unibus-majority-leader-12s.json"));
        assertEquals(List.of("KV_UNIBUS_users", "KV_UNIBUS_rooms", "KV_UNIBUS_room_keys", "KV_UNIBUS_rooms_by_member"),
                Shape.missingBuckets(pages));
    }

    @Test
    void everyBucketListedBySomeNodeIsSteady() {
        // R1 buckets spread over the nodes: each page lists the streams its node hosts
        List<String> pages = List.of(page("magnus", "users", "rooms"), page("homer", "members", "room_keys"),
                page("datardos", "rooms_by_member", "nonces"));
        assertEquals(List.of(), Shape.missingBuckets(pages));
        // the same zone before the service created the nonce bucket
        assertEquals(List.of("KV_UNIBUS_nonces"),
                Shape.missingBuckets(List.of(pages.get(0), pages.get(1), page("datardos", "rooms_by_member"))));
    }

    private static String page(String node, String... buckets) {
        StringBuilder streams = new StringBuilder();
        for (String b : buckets) {
            streams.append(streams.isEmpty() ? "" : ",").append("{\"name\":\"KV_UNIBUS_").append(b)
                    .append("\",\"cluster\":{\"leader\":\"").append(node).append("\"}}");
        }
        return "{\"meta_cluster\":{\"leader\":\"magnus\"},\"account_details\":[{\"stream_detail\":[" + streams + "]}]}";
    }

    @Test
    void anUnreadablePageListsNothing() {
        assertEquals(Shape.missingBuckets(List.of()), Shape.missingBuckets(List.of("curl: (7) Failed to connect", "")));
        assertEquals(6, Shape.missingBuckets(List.of("")).size());
    }

    private static String recorded(String name) throws java.io.IOException {
        try (var in = BucketsExistTest.class.getResourceAsStream("/recorded/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
