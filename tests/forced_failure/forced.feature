Feature: A deliberately failing scenario (run only by tests/test_failure_bundle.py)
  It registers a healthy broker, then expects it NOT to be Ready: the expectation
  fails, and the suite must leave a complete failure bundle with no secret in it.

  Scenario: A healthy broker expected to fail
    Given a Kubernetes cluster with Service Catalog installed
    And an OSB broker serving the catalog "aws-minimal" over trusted TLS with basic auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
