@section:verify
Feature: Verify
  The runbook's verify section: the posture of every node (read from its health endpoint, then
  tried with real clients: enforce admits only the client CA's certificates, the ACL keeps an
  ordinary client out of the control plane), the routed cluster and its meta group, and the
  promise that a client certificate can never be presented to the route port.

  @runbook:verify.1
  Scenario: Every node's posture is enforce, acl, tls, cluster, store kv
    Then within 30 seconds every node's health endpoint answers enforce, acl, tls, cluster and store kv

  @runbook:verify.2
  Scenario: Three routed servers and a JetStream meta group with a leader
    Then within 30 seconds every node routes to the other two and names one meta leader, every peer current

  @runbook:verify.3
  Scenario: The route port refuses a client certificate and a client without one
    Then a route-CA certificate completes a TLS handshake on every node's route port
    And a client-CA certificate and a client without a certificate are refused on every node's route port

  @runbook:verify.1
  Scenario: Enforce, tried: the client port admits a certificate of the client CA and nothing else
    Then on every node's client port the harness's certificate is admitted, and a client without a certificate or with another CA's certificate is refused

  @runbook:verify.1
  Scenario: The ACL, tried: an ordinary client reaches the rooms, never the control plane
    Then on every node an ordinary client of the client CA subscribes to unibus.rooms, and cannot write or read a control-plane bucket nor call JetStream's API
