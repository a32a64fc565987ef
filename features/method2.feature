@method2
Feature: Method 2: register a broker hosted outside the cluster (the page's steps 11-13)
  The page: if the cluster can reach the broker's API, protect that API with a
  trusted TLS certificate and access credentials, put the credentials in a
  Secret, and `kubectl apply` a ClusterServiceBroker that points at it.

  Background:
    Given a Kubernetes cluster with Service Catalog installed

  @any_broker @matrix
  Scenario Outline: Credentials in a Secret and a trusted certificate: the broker is Ready with its offerings
    Given an OSB broker serving the catalog "<catalog>" over trusted TLS with <auth> auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And every service and plan of the broker's catalog exists as a ClusterServiceClass and ClusterServicePlan, and nothing else of that broker

    Examples:
      | auth   | catalog     |
      | bearer | aws-full    |
      | basic  | aws-minimal |

  @negative
  Scenario: A certificate from a CA the cluster does not trust is refused
    Given an OSB broker serving the catalog "aws-minimal" over untrusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And its Ready message mentions "x509"

  Scenario: Skipping TLS verification accepts that certificate, and the report flags it
    Given an OSB broker serving the catalog "aws-minimal" over untrusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, skipping TLS verification
    Then the ClusterServiceBroker becomes Ready
    And the run report flags the registration as skipping TLS verification

  @negative @any_broker
  Scenario Outline: Wrong credentials are refused with the broker's 401
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with <auth> auth
    And a Secret holding wrong <auth> credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And its Ready message mentions "401"

    Examples:
      | auth   |
      | bearer |
      | basic  |

  @negative @any_broker
  Scenario: The credentials Secret does not exist
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And no Secret holds the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And a Warning event "ErrorGettingAuthCredentials" is recorded for the ClusterServiceBroker

  Scenario: A broker that answers 500 is not Ready; once fixed, a relist makes it Ready
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And the broker answers the catalog with HTTP 500
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And its Ready message mentions "500"
    When the broker answers the catalog normally again
    And a relist is requested with "svcat sync broker"
    Then the ClusterServiceBroker becomes Ready

  Scenario: Catalog drift: after a relist the new service is offered and the removed one is marked
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When the broker stops offering "sqs" and starts offering "sns" from the catalog "aws-full"
    And a relist is requested with "svcat sync broker"
    Then the ClusterServiceClass "sns" of the broker exists
    And the ClusterServiceClass "sqs" of the broker is marked removedFromBrokerCatalog

  @any_broker
  Scenario: A namespaced ServiceBroker offers its services in its namespace only
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the same registration as a namespaced ServiceBroker, trusting the broker's CA
    Then the ServiceBroker becomes Ready
    And every service and plan of the broker's catalog exists as a ServiceClass and ServicePlan in its namespace, and nothing else of that broker
    And no ClusterServiceClass comes from that broker
    And kf marketplace lists the broker's offerings
    And the marketplace in another namespace does not list the broker's offerings

  Scenario: A slow broker (2 s per request) still becomes Ready
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And the broker answers after 2 seconds
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready

  @negative
  Scenario: A malformed catalog is not Ready
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And the broker answers the catalog with malformed JSON
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"

  Scenario: Rotated credentials break the registration until the Secret is updated
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with basic auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When the broker rotates its credentials
    And a relist is requested with "svcat sync broker"
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And its Ready message mentions "401"
    When the Secret is updated with the broker's new credentials
    And a relist is requested with "svcat sync broker"
    Then the ClusterServiceBroker becomes Ready

  @negative
  Scenario: A broker that requires a newer OSB API version than Service Catalog sends is refused with 412
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And the broker requires X-Broker-API-Version 2.15
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And its Ready message mentions "412"

  @restarts_broker
  Scenario: The broker's certificate is replaced by one from a CA the cluster does not trust
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When the broker's certificate is replaced by one from a CA the cluster does not trust
    And a relist is requested with "svcat sync broker"
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And its Ready message mentions "x509"
