package io.triad.tech.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * Which server answers a stream's direct gets ({@code allow_direct}, how a KV get is served, NATS
 * ADR-8). A replica joins the stream's direct-get queue group only once it has caught up (the
 * server checks every 2 s after a leader change), and a client's request is answered by a local
 * member of a queue group before a remote one: a node whose replica has joined answers its own
 * clients' gets from its own copy, current or not. Read from the server, not inferred from the
 * configuration: {@code /subsz?subs=1&test=$JS.API.DIRECT.GET.<stream>.<subject>} lists the
 * local subscriptions only (a route's interest is not listed).
 */
public final class DirectGets {

    private DirectGets() { }

    /** The page that lists this server's local subscriptions matching a direct get of the stream. */
    public static String subszPage(String stream) {
        return "/subsz?subs=1&limit=100000&test=$JS.API.DIRECT.GET." + stream + ".probe";
    }

    /** This server's own replica of the stream, when it answers direct gets: how many it answered so far. */
    public record Local(boolean answers, long answered) { }

    public static Local local(String subszJson, String stream) {
        JsonNode root = json("/subsz", subszJson);
        String subject = "$JS.API.DIRECT.GET." + stream;
        boolean answers = false;
        long answered = 0;
        for (JsonNode s : root.path("subscriptions_list")) {
            String subj = s.path("subject").asText("");
            if (!s.path("qgroup").asText("").isEmpty() && (subj.equals(subject) || subj.startsWith(subject + "."))) {
                answers = true;
                answered += s.path("msgs").asLong(0);
            }
        }
        return new Local(answers, answered);
    }

    /** Whether the stream allows direct gets, from {@code /jsz?streams=true&config=true} of a server hosting it. */
    public static boolean allowed(String jszWithConfig, String stream) {
        for (JsonNode account : json("/jsz", jszWithConfig).path("account_details")) {
            for (JsonNode s : account.path("stream_detail")) {
                if (s.path("name").asText("").equals(stream)) {
                    return s.path("config").path("allow_direct").asBoolean(false);
                }
            }
        }
        throw new IllegalArgumentException("the server does not host " + stream);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String page, String text) {
        try {
            JsonNode root = JSON.readTree(text);
            if (root != null && root.isObject()) {
                return root;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(page + " did not answer JSON: " + e.getMessage());
        }
        throw new IllegalArgumentException(page + " did not answer a JSON object");
    }
}
