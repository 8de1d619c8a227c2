@section:cert
Feature: Security operations: certificate management
  The runbook's certificate listing (openssl x509 -enddate over the certificates), every
  certificate of every host held against the horizon and verified against the zone's CA.

  @runbook:cert.1
  Scenario: Every certificate of every host expires beyond the horizon and is issued by the zone's CA
    Then every certificate in the certificates directory of every host expires beyond the horizon and verifies against the zone's CA
