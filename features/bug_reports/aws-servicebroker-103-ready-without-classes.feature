@bug_report @aws @aws_broker
Feature: Bug report awslabs/aws-servicebroker#103: the broker is Ready, but svcat finds no classes
  Reported on: a Kubernetes cluster run locally, the broker installed with the chart and an admin's access key
  ("highest level of access to eliminate error from permissions"). Reported: `svcat get brokers` shows
  aws-servicebroker Ready at the chart's URL; `svcat get classes` lists nothing. The same symptom is in #46 and #75.
  The report does not say whether the prerequisites stack (the page's step 3) was deployed.
  Replayed on the real AWS Service Broker v1.0.4 with an administrator's key on an account without that stack:
  the suite's own checks name the cause.

  Scenario: An administrator's key on an account without the broker's table: Ready, no classes, and check (a) names why
    Given a Kubernetes cluster with Service Catalog installed
    And an AWS account where the prerequisites stack was not deployed, with an administrator's access key
    And the AWS Service Broker starts with the administrator's key, over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    And the broker's offerings step fails with "Ready but no offerings"
    And the diagnosis names check (a) "the DynamoDB infrastructure is up", with evidence "ResourceNotFoundException"
