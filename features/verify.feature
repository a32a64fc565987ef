@verify @any_broker @matrix
Feature: Verify the broker registration (the page's steps 8 and 13)
  The page registers a broker with a Secret and a ClusterServiceBroker
  (Method 2, step 13), then says: `kubectl get ClusterServiceBroker` shows
  it with STATUS Ready (step 8), and its offerings become available.

  Background:
    Given a Kubernetes cluster with Service Catalog installed
    And an OSB broker serving the catalog "aws-minimal" with basic auth
    And a Secret holding the broker's credentials

  Scenario: The page's ClusterServiceBroker becomes Ready
    When I apply the page's ClusterServiceBroker pointing at the broker
    Then the ClusterServiceBroker becomes Ready
    And kubectl get ClusterServiceBroker prints STATUS "Ready" and the broker's URL

  Scenario: Every offering of the broker becomes a class and a plan
    When I apply the page's ClusterServiceBroker pointing at the broker
    Then the ClusterServiceBroker becomes Ready
    And every service and plan of the broker's catalog exists as a ClusterServiceClass and ClusterServicePlan, and nothing else of that broker

  @negative
  Scenario: A broker URL nothing listens on is not Ready
    When I apply the page's ClusterServiceBroker pointing at a URL nothing listens on
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And expecting it to be Ready fails, naming the last condition seen
    And kubectl get ClusterServiceBroker prints STATUS "ErrorFetchingCatalog" and the broker's URL
