package io.triad.profile.bsfgtriad;

import io.triad.env.Environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runbook's section 2 inputs as an environment gives them, and what is missing or malformed
 * among them. The loader already refuses what cannot be read at all; this names, input by input,
 * what the runbook needs to proceed (an alert endpoint, for instance, may be absent from a file
 * that loads).
 */
public final class Inputs {

    private static final String LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
    private static final String HOSTNAME = LABEL + "(\\." + LABEL + ")*";

    private Inputs() { }

    /** The inputs by their runbook names, for the report. */
    public static Map<String, String> values(Environment env) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("ZONE_NAME", env.zone());
        for (String role : env.profile().roles()) {
            env.hostsWithRole(role).forEach(h -> v.put(role.toUpperCase() + "_HOSTNAME", h.hostname()));
        }
        if (!env.hasVip()) {
            return v; // the other inputs are the BSFG runbook's section 2, fields of its profile
        }
        v.put("VIP", env.vip().toString());
        Settings s = Settings.of(env);
        v.put("PEER_ENDPOINTS", String.join(",", s.peerEndpoints()));
        v.put("CERT_PATH", s.paths().certDir());
        v.put("JETSTREAM_CONFIG_PATH", s.paths().jetstreamConfig());
        v.put("ARTIFACT_MOUNT", s.paths().artifactMount());
        v.put("ALERT_ENDPOINT", s.alertEndpoint());
        return v;
    }

    /** What is missing or malformed, one line per input; empty when all is well. */
    public static List<String> problems(Environment env) {
        List<String> problems = new ArrayList<>();
        if (!env.zone().matches("[a-z0-9][a-z0-9-]*")) {
            problems.add("ZONE_NAME '" + env.zone() + "' is not lower-case letters, digits and dashes");
        }
        for (Environment.HostSpec h : env.hosts()) {
            if (!h.hostname().toLowerCase().matches(HOSTNAME)) {
                problems.add(h.role().toUpperCase() + "_HOSTNAME '" + h.hostname() + "' is not a valid hostname");
            }
            if (env.hasVip() && h.address().equals(env.vip().address())) {
                problems.add("VIP " + env.vip().address() + " is the address of " + h.name());
            }
            if (env.hasVip() && env.profile().vipRoles().contains(h.role()) && !env.vip().contains(h.address())) {
                problems.add("VIP " + env.vip() + " is not in the subnet of " + h.name() + " (" + h.address() + ")");
            }
        }
        Settings s = Settings.of(env);
        for (String peer : s.peerEndpoints()) {
            int colon = peer.lastIndexOf(':');
            int port = colon < 0 ? -1 : parsePort(peer.substring(colon + 1));
            if (colon <= 0 || port < 1 || port > 65535) {
                problems.add("PEER_ENDPOINTS entry '" + peer + "' is not host:port");
            }
        }
        absolute(problems, "CERT_PATH", s.paths().certDir());
        absolute(problems, "JETSTREAM_CONFIG_PATH", s.paths().jetstreamConfig());
        absolute(problems, "ARTIFACT_MOUNT", s.paths().artifactMount());
        String alert = s.alertEndpoint();
        if (alert == null || alert.isBlank()) {
            problems.add("ALERT_ENDPOINT is missing (alert_endpoint: host:port of the monitoring or alerting destination)");
        } else {
            int colon = alert.lastIndexOf(':');
            int port = colon < 0 ? -1 : parsePort(alert.substring(colon + 1));
            if (colon <= 0 || port < 1 || port > 65535 || !alert.substring(0, colon).toLowerCase().matches(HOSTNAME)) {
                problems.add("ALERT_ENDPOINT '" + alert + "' is not host:port");
            }
        }
        return problems;
    }

    private static void absolute(List<String> problems, String name, String path) {
        if (path == null || !path.startsWith("/")) {
            problems.add(name + " '" + path + "' is not an absolute path");
        }
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
