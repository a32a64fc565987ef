@marketplace
Feature: The marketplace lists the broker's offerings (the page's step 10)
  The page: registration can take a few minutes; once registered, `kf
  marketplace` shows the offered services. The check compares three layers:
  the broker's own catalog, what Service Catalog made of it, and what the
  marketplace shows a developer.

  Background:
    Given a Kubernetes cluster with Service Catalog installed

  @any_broker @matrix
  Scenario Outline: Every service and plan of the broker is in the marketplace
    Given an OSB broker serving the catalog "<catalog>" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And kf marketplace lists the broker's offerings

    Examples:
      | catalog     |
      | aws-minimal |
      | aws-full    |

  Scenario: The plans of one service, as kf marketplace --service shows them
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And kf marketplace --service "s3" lists the plans "production, custom"
    And kf marketplace --service "sqs" lists the plans "standard, fifo"

  @negative @any_broker
  Scenario: A class deleted behind Service Catalog's back shows as a difference table
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When a ClusterServiceClass of the broker is deleted behind Service Catalog's back
    Then the marketplace comparison fails with a table naming the deleted class's plans
