package io.triad.steps.plasmacloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.triad.host.CommandResult;
import io.triad.host.Host;
import io.triad.profile.plasmacloud.Settings;
import io.triad.steps.common.Support;

/** What the PlasmaCloud steps share: the profile's settings, the nodes' names, one request to a node's own HTTPS API. */
abstract class PlasmaSupport extends Support {
    protected PlasmaSupport(io.triad.run.Run run) {
        super(run);
    }

    static final ObjectMapper JSON = new ObjectMapper();
    protected final Settings settings = zone.env().settings(Settings.class);

    protected String hostname(Host h) {
        return zone.env().host(h.name()).hostname();
    }

    /** A node's API URL, by its name in DNS (the certificate's name). */
    protected String url(Host h, int port, String path) {
        return "https://" + hostname(h) + ":" + port + path;
    }

    /** What a request answered: whether curl ran to the end, the HTTP status (-1: none), the body, its JSON (null: none), curl's error. */
    record Answer(boolean ran, int status, String body, JsonNode json, String error) { }

    /**
     * A request on a node to an API URL (a JSON body unless null), by curl as root (the zone CA is
     * in root's secrets directory, as on the runbook's nodes), verified against the zone CA.
     */
    protected Answer request(Host h, String method, String url, String body, int maxTimeSeconds) {
        CommandResult r = h.exec(h.asRoot("curl -sS --max-time " + maxTimeSeconds + " --cacert " + q(settings.caFile()) + " -X " + method
                + (body == null ? "" : " -H 'Content-Type: application/json' -d " + q(body)) + " -w '\\n%{http_code}' " + q(url)));
        String out = r.stdout().strip();
        int nl = out.lastIndexOf('\n');
        int code;
        try {
            code = Integer.parseInt(nl < 0 ? out : out.substring(nl + 1));
        } catch (NumberFormatException e) {
            code = -1;
        }
        String answer = nl < 0 ? "" : out.substring(0, nl);
        JsonNode json = null;
        try {
            json = answer.isEmpty() ? null : JSON.readTree(answer);
        } catch (java.io.IOException e) {
            // no JSON: judged by the status
        }
        return new Answer(r.ok(), code, answer, json, r.stderr().strip());
    }
}
