@section:9
Feature: 9 Handoff criteria
  The zone is ready for federation only when every criterion passes. Each is derived from the
  evidence of the scenarios above in this run (which items, and how they ended, is attached),
  not asserted again: a criterion whose items failed, were not run, or only skipped does not hold.

  Scenario Outline: Handoff criterion <item>: <criterion>
    Then handoff criterion <item> holds, derived from the evidence of this run

    @runbook:9.1
    Examples: JetStream quorum healthy
      | item | criterion |
      | 9.1 | JetStream quorum healthy |

    @runbook:9.2
    Examples: VIP stable
      | item | criterion |
      | 9.2 | VIP stable |

    @runbook:9.3
    Examples: Controller failover tested
      | item | criterion |
      | 9.3 | Controller failover tested |

    @runbook:9.4
    Examples: Monitoring live
      | item | criterion |
      | 9.4 | Monitoring live |

    @runbook:9.5
    Examples: Backup verified
      | item | criterion |
      | 9.5 | Backup verified |

    @runbook:9.6
    Examples: Certificate validity acceptable
      | item | criterion |
      | 9.6 | Certificate validity acceptable |

    @runbook:9.7
    Examples: No unresolved critical alerts
      | item | criterion |
      | 9.7 | No unresolved critical alerts |

    @runbook:9.8
    Examples: Artifact mount verified
      | item | criterion |
      | 9.8 | Artifact mount verified |

    @runbook:9.9
    Examples: Log shipping active
      | item | criterion |
      | 9.9 | Log shipping active |

  # "Zone monitoring clear of critical unresolved conditions", read where the alerts are: the zone's
  # alert endpoint (an Alertmanager), its active critical alerts, silenced and inhibited ones too (muted is not resolved).
  @runbook:9.7 @needs:alertmanager
  Scenario: No critical alert is open at the zone's alert endpoint
    Then the zone's Alertmanager has no active critical alert

  @signoff
  Scenario: The sign-off table
    Then the sign-off table is filled from the environment's sign-off record
