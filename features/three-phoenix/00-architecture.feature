@section:3
Feature: 3. Application Stack, the Standard Unit
  The architecture's claims, before its audit checklist, that a running zone can show. The
  database tier's replication is asynchronous: drill.1 counts lost writes against the lag bound on
  that premise, and here the setting and the primary's senders are read.

  @runbook:3.4
  Scenario: Database: asynchronous replication, no commit waits on a standby
    Then no node names a synchronous standby, and the primary's pg_stat_replication lists every standby async
