package io.triad.profile.unibus;

import io.triad.host.Shell;

/** The commands that read a unibus node's own state, as the runbook's verify section reads it. */
public final class Cluster {

    private Cluster() { }

    /** The runbook's health check, on the node: the posture as JSON, then "HTTP <status>". */
    public static String healthz(Settings s) {
        return "curl -sS -m 3 -w '\\nHTTP %{http_code}' --cacert " + Shell.quote(s.file("tls/ca.crt"))
                + " https://127.0.0.1:" + s.httpPort() + "/healthz";
    }

    /** A page of the embedded server's monitoring (loopback only), e.g. "/jsz?streams=true", "/routez", "/varz". */
    public static String monitor(Settings s, String page) {
        return "curl -sf -m 3 " + Shell.quote("http://127.0.0.1:" + s.monitorPort() + page);
    }
}
