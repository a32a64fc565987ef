@aws @aws_broker
Feature: The real AWS Service Broker, registered the page's way (the page's steps 8, 10 and 13)
  The AWS Service Broker v1.0.4, built from its source, started with the
  chart's arguments (basic auth the way upstream's start script turns it on),
  on emulated AWS prepared as the page's step 3 and upstream's release leave
  it: the prerequisites stack, and the 27 service templates in the templates
  bucket. The broker has no AWS endpoint setting, so its calls reach moto
  through moto's HTTPS proxy, whose CA it is told to trust.

  Background:
    Given a Kubernetes cluster with Service Catalog installed
    And the prerequisites stack is deployed on AWS

  @matrix
  Scenario: Basic auth over trusted TLS: Ready, with every one of its 27 services in the marketplace
    Given the AWS Service Broker starts with the stack's credentials, over trusted TLS with basic auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And kubectl get ClusterServiceBroker prints STATUS "Ready" and the broker's URL
    And the broker serves upstream's 27 services and 57 plans
    And every service and plan of the broker's catalog exists as a ClusterServiceClass and ClusterServicePlan, and nothing else of that broker
    And kf marketplace lists the broker's offerings

  Scenario: The chart's bearer registration: Ready, with a token the broker never issued
    Given the AWS Service Broker starts with the stack's credentials, over trusted TLS with bearer auth
    And a Secret holding wrong bearer credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And the broker answers its catalog to a request with no credentials at all, and the run report flags it
    And kf marketplace lists the broker's offerings

  @negative
  Scenario: Wrong basic credentials are refused with the broker's 401
    Given the AWS Service Broker starts with the stack's credentials, over trusted TLS with basic auth
    And a Secret holding wrong basic credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And its Ready message mentions "401"
