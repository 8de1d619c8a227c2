@section:dcs
Feature: Cluster health: the etcd the database cluster stands on
  The runbook's daily etcd health check (etcdctl endpoint health --cluster), asked on every
  database node: Patroni's distributed configuration store is this etcd.

  @runbook:dcs.1
  Scenario: etcd: the three members of the inventory, each healthy, one leader named alike by every member
    Then asked on every database node, etcd lists exactly the inventory's nodes as its members, every endpoint healthy, and every member names the same leader
