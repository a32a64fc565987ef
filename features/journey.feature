@journey
Feature: After the marketplace: a developer creates, binds, unbinds and deletes a service
  The page ends with "`kf marketplace` shows the offered services"; a developer
  reads that as "I can now create and bind them". Each step goes through
  Service Catalog v0.3.1 to the broker: the first-generation Kf CLI (v0.2.0)
  creates, lists and deletes service instances; svcat binds and unbinds (Kf
  v0.2.0's bind-service binds to a Kf App, whose controller is not part of this
  stack); the Service Catalog API and the broker's record of what it was asked
  say what each promise means.

  Background:
    Given a Kubernetes cluster with Service Catalog installed

  Scenario: Create, bind, unbind and delete a service
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When I run kf create-service "sqs" "standard" "orders"
    Then the ServiceInstance "orders" is Ready
    And the broker saw exactly one provision of "sqs" "standard", with the context of platform kubernetes and the scenario's namespace
    And Service Catalog polled last_operation until the provision succeeded
    And kf services lists "orders" of "sqs" "standard" as "ProvisionedSuccessfully"
    When I bind "orders" with svcat as "orders-binding"
    Then the ServiceBinding "orders-binding" is Ready
    And its Secret holds the credentials the broker returned
    When I unbind "orders-binding" with svcat
    Then the broker saw the unbind, and the binding's Secret is gone
    When I run kf delete-service "orders"
    Then the broker saw the deprovision, and no ServiceInstance or ServiceBinding is left

  @negative
  Scenario Outline: The broker fails the provision: the instance and kf services say so
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    And the broker fails provisions with <failure>
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When I run kf create-service "sqs" "standard" "orders" without waiting
    Then the ServiceInstance "orders" fails for the reason "<reason>" with the broker's description
    And kf services lists "orders" of "sqs" "standard" as "<last operation>"

    Examples:
      | failure                 | reason              | last operation                      |
      | HTTP 400                | ProvisionCallFailed | ClusterServiceBrokerReturnedFailure |
      | HTTP 500                | ProvisionCallFailed | OrphanMitigationSuccessful          |
      | an async "failed" state | ProvisionCallFailed | ProvisionCallFailed                 |

  @negative
  Scenario: kf create-service reports a refused provision with the broker's description
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    And the broker fails provisions with HTTP 400
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When I run kf create-service "sqs" "standard" "orders", which fails
    Then kf create-service says the provision failed, with the broker's description

  @negative
  Scenario: A plan removed from the broker's catalog is refused by Service Catalog
    Given an OSB broker serving the catalog "aws-minimal" over trusted TLS with bearer auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When I run kf create-service "sqs" "fifo" "first"
    Then the ServiceInstance "first" is Ready
    When the broker stops offering the plan "fifo" of "sqs"
    And a relist is requested with "svcat sync broker"
    Then the ClusterServicePlan "fifo" of "sqs" is marked removedFromBrokerCatalog
    When a ServiceInstance "second" of "sqs" "fifo" is created through the API
    Then the ServiceInstance "second" is refused for the reason "ReferencesDeletedServicePlan"
    And the broker saw no provision of it

  @aws @aws_broker @aws_broker_provision
  Scenario Outline: The real AWS Service Broker on emulated AWS: create, bind, unbind and delete <service>
    Given the prerequisites stack is deployed on AWS that runs upstream's Lambda functions
    And the AWS Service Broker starts with the stack's credentials, over trusted TLS with basic auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When I run kf create-service "<service>" "<plan>" "orders" with the parameters '<parameters>'
    Then the ServiceInstance "orders" is Ready
    And emulated AWS holds the instance's stack of "<service>", created
    When I bind "orders" with svcat as "orders-binding"
    Then the ServiceBinding "orders-binding" is Ready
    And its Secret holds credentials that emulated AWS knows
    When I unbind "orders-binding" with svcat
    Then the binding's Secret is gone
    When I run kf delete-service "orders"
    Then no ServiceInstance or ServiceBinding is left, and emulated AWS deleted the instance's stack

    Examples:
      | service  | plan       | parameters                                              |
      | sqs      | standard   | {}                                                      |
      | sns      | topic      | {}                                                      |
      | s3       | production | {}                                                      |
      | dynamodb | hashrange  | {"HashAttributeName": "id", "RangeAttributeName": "at"} |

  @aws @aws_broker @aws_broker_provision @negative
  Scenario: The real AWS Service Broker on emulated AWS: a parameter CloudFormation refuses fails the provision with CloudFormation's reason
    Given the prerequisites stack is deployed on AWS that runs upstream's Lambda functions
    And the AWS Service Broker starts with the stack's credentials, over trusted TLS with basic auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker, trusting the broker's CA
    Then the ClusterServiceBroker becomes Ready
    When I run kf create-service "sqs" "standard" "orders" with the parameters '{"MaximumMessageSize": 100}', which fails
    Then kf create-service says the provision failed, with CloudFormation's reason: the resource "SQSQueue" of the stack of "orders", an "sqs" instance
    And the ServiceInstance "orders" says so too, and Service Catalog deprovisioned it to mitigate an orphan
    And emulated AWS deleted the instance's stack
    And kf services lists "orders" of "sqs" "standard" as "ErrorPollingLastOperation"
