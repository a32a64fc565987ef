@bug_report
Feature: Bug report aws-broker-ready-without-classes: Ready, but kf marketplace shows nothing
  Reported on: Kubernetes 1.15, Service Catalog 0.2.1, AWS Service Broker 1.0.0-beta (upstream issues #46, #75, #103)
  Reported broker status: Ready=True FetchedCatalog: Successfully fetched catalog entries from broker.
  Replayed by the suite's mock broker serving the reported catalog, registered the page's way.

  Scenario: aws-broker-ready-without-classes behaves as reported (ready-without-offerings)
    Given a Kubernetes cluster with Service Catalog installed
    And an OSB broker serving the catalog "features/bug_reports/aws-broker-ready-without-classes.catalog.json" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And the broker's offerings step fails with "Ready but no offerings"
