package io.triad.profile.threephoenix;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An nmap scan's XML ({@code -oX -}): the TCP ports found open, and how many were scanned. */
public record Nmap(Set<Integer> open, int scanned) {

    private static final Pattern PORT = Pattern.compile("<port protocol=\"tcp\" portid=\"(\\d+)\"><state state=\"([a-z|]+)\"");
    private static final Pattern SCANINFO = Pattern.compile("<scaninfo type=\"[a-z]+\" protocol=\"tcp\" numservices=\"(\\d+)\"");

    public static Nmap parse(String xml) {
        Matcher info = SCANINFO.matcher(xml);
        if (!xml.contains("<nmaprun") || !info.find()) {
            throw new AssertionError("not an nmap XML report: " + xml.strip().lines().findFirst().orElse("(nothing)"));
        }
        Set<Integer> open = new TreeSet<>();
        Matcher m = PORT.matcher(xml);
        while (m.find()) {
            if (m.group(2).equals("open")) {
                open.add(Integer.parseInt(m.group(1)));
            }
        }
        return new Nmap(Set.copyOf(open), Integer.parseInt(info.group(1)));
    }
}
