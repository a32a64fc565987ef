@aws @aws_broker @troubleshooting
Feature: When the broker is not Ready (the page's step 9)
  The page: if STATUS is not Ready, check that (a) the DynamoDB infrastructure
  is up, (b) the AWS user can access the DynamoDB table, (c) the Helm chart
  values are set correctly. The real AWS Service Broker runs in each case, on
  emulated AWS; the suite makes each check from an AWS call (with the broker's
  own key where the question is what the broker can do) and names the one
  that explains what Service Catalog shows.

  Background:
    Given a Kubernetes cluster with Service Catalog installed

  @negative
  Scenario: The table is missing: Ready but no offerings, explained by check (a)
    Given the prerequisites stack is deployed on AWS
    And the DynamoDB table "awssb" is deleted
    And the AWS Service Broker starts with the stack's credentials, over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And the broker's offerings step fails with "Ready but no offerings"
    And the diagnosis names check (a) "the DynamoDB infrastructure is up", with evidence "ResourceNotFoundException"

  @negative
  Scenario: The user may not write to the table: Ready but no offerings, explained by check (b)
    Given the prerequisites stack is deployed on AWS without the DynamoDB grant, with IAM enforced
    And the AWS Service Broker starts with the stack's credentials, over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And the broker's offerings step fails with "Ready but no offerings"
    And the diagnosis names check (b) "the AWS user can access the DynamoDB table", with evidence "AccessDenied"

  @negative
  Scenario: aws.region names another region than the stack's: Ready but no offerings, explained by check (c)
    Given the prerequisites stack is deployed on AWS
    And the AWS Service Broker starts with aws.region set to another region than the stack's, over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And the broker's offerings step fails with "Ready but no offerings"
    And the diagnosis names check (c) "the Helm chart values are set correctly", with evidence "aws.region"

  @negative
  Scenario Outline: A wrong chart value stops the broker at start, and check (c) names it
    Given the prerequisites stack is deployed on AWS with IAM enforced
    And the AWS Service Broker starts with <value> set wrong
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker is not Ready, for the reason "ErrorFetchingCatalog"
    And the diagnosis names check (c) "the Helm chart values are set correctly", with evidence "<value>"

    Examples:
      | value         |
      | aws.secretkey |
      | aws.bucket    |
