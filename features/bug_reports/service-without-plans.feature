@bug_report
Feature: Bug report service-without-plans: a catalog Service Catalog rejects: a service with no plans
  Reported on: Service Catalog 0.3.1
  Reported broker status: not given
  Replayed by the suite's mock broker serving the reported catalog, registered the page's way.

  Scenario: service-without-plans behaves as reported (not-ready:ErrorSyncingCatalog)
    Given a Kubernetes cluster with Service Catalog installed
    And an OSB broker serving the catalog "features/bug_reports/service-without-plans.catalog.json" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorSyncingCatalog"
