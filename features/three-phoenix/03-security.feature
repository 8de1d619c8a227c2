@section:III
Feature: III. Security & Network
  The zone as the outside sees it, tried from a host outside the zone against its public address:
  the certificate the ingress presents, what answers on which port, and the redirect to HTTPS.

  @runbook:III.1
  Scenario: SSL Validity: the site's certificate expires in more than 30 days
    Then the certificate the public address presents for the site's name is valid for it, chained to the zone CA, with more than 30 days left

  @runbook:III.2
  Scenario: Port Scan: only 80 and 443 are open on the public address
    Then every port the public address's host listens on and every service port of the zone, but 80 and 443, refuses a connection from outside the zone
    And nmap from outside the zone finds exactly the ports 80 and 443 open on the public address, every TCP port tried
    And the database ports answer on no address of any host of the zone from outside the zone

  @runbook:III.3
  Scenario: Ingress Check: HTTP redirects to HTTPS with a 301
    Then HTTP requests to the site at the public address are answered 301 with the same host and path on https
