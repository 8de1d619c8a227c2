@section:mongo
Feature: Database operations: MongoDB replica set
  The runbook's replica set health (rs.status(), rs.printSlaveReplicationInfo(), the oplog) asked
  of every member with mongosh, what rs.status() says of a member cross-checked against what the
  member says of itself; and the MongoDB backup schedule.

  @runbook:mongo.1 @needs:mongodb
  Scenario: One writable primary, every secondary replicating on its term within the lag bound, the oplog window held
    Then asked member by member, the MongoDB replica set has one writable primary named alike by every member and every secondary on its term within the lag bound

  @runbook:mongo.2 @needs:mongodb
  Scenario: The MongoDB backup schedule: daily dump, weekly verification, a dump within a day
    Then the MongoDB backup host's cron table runs "0 3 * * *" dumps and "0 4 * * 0" verifications, each by a script that is there and executable, and the newest dump is younger than the dump interval
