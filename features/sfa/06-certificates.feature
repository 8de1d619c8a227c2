@section:cert
Feature: Security operations: certificate management
  The runbook's certificate listing (openssl x509 -enddate over the certificates), every
  certificate of every host held against the horizon and verified against the zone's CA: those
  of its certificates directory, and those its ports present (every port beyond loopback asked,
  wherever the certificate's file is).

  @runbook:cert.1
  Scenario: Every certificate of every host expires beyond the horizon and is issued by the zone's CA
    Then every certificate of every host, in its certificates directory and presented on its ports, expires beyond the horizon and verifies against the zone's CA
