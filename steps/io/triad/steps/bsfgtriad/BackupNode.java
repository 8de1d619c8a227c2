package io.triad.steps.bsfgtriad;

import io.triad.host.Host;
import io.triad.profile.bsfgtriad.Settings;
import io.triad.zone.Zone;

/** The node whose role runs the snapshot backup (the environment's backup.role; Gamma by the runbook). */
final class BackupNode {

    private BackupNode() { }

    static Host of(Zone zone) {
        String role = Settings.of(zone.env()).backup().role();
        return zone.hosts().stream().filter(h -> h.role().equals(role)).findFirst()
                .orElseThrow(() -> new AssertionError("no node has the backup role " + role));
    }
}
