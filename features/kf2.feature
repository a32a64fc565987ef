@kf2
Feature: Today's Kf (2.11): the page's promise, and the registration that works there
  The page lives in Kf 2.x's documentation, but Kf 2.11's `kf marketplace` no
  longer reads Service Catalog: it lists Kf's own kf.dev brokers, registered
  with `kf create-service-broker NAME USERNAME PASSWORD URL [--space-scoped]`
  (basic auth only), whose catalog Kf's controller fetches into the broker's
  status.services. The real Kf 2.11 CLI and controller, built from the v2.11.32
  tree (the controller a local process beside the embedded cluster, a pod on
  kind), run the page as written, then the registration that works on Kf 2.11.
  Kf 2.11 brokers have no caBundle (the controller trusts its system roots), so
  the mock broker is reached over plain HTTP, where the controller reaches it.

  Background:
    Given a Kubernetes cluster with Kf 2.11's controller running

  Scenario: The page as written: Kf 2.11's marketplace does not list Service Catalog's broker (a known drift)
    Given Service Catalog installed beside Kf, as the page assumes
    And an OSB broker serving the catalog "aws-minimal" with basic auth
    And a Secret holding the broker's credentials
    When I apply the page's ClusterServiceBroker pointing at the broker
    Then the ClusterServiceBroker becomes Ready
    And Kf 2.11's kf marketplace lists the broker's offerings, as the page promises

  @matrix
  Scenario Outline: kf create-service-broker registers the broker, and kf marketplace lists every offering
    Given an OSB broker serving the catalog "<catalog>" with basic auth
    When I run kf create-service-broker <scope> with the broker's URL and credentials
    Then kf create-service-broker says Success
    And Kf's <kind> becomes Ready
    And Kf 2.11's kf marketplace lists every offering of the broker, as its catalog and the kf.dev broker's status.services say

    Examples:
      | catalog     | scope          | kind                 |
      | aws-minimal | cluster-wide   | ClusterServiceBroker |
      | aws-minimal | --space-scoped | ServiceBroker        |
      | aws-full    | cluster-wide   | ClusterServiceBroker |

  @aws @aws_broker @matrix
  Scenario: kf create-service-broker to the real AWS Service Broker: its 27 services in Kf's marketplace
    Given the prerequisites stack is deployed on AWS
    And the AWS Service Broker starts with the stack's credentials, over plain HTTP with basic auth
    When I run kf create-service-broker cluster-wide with the broker's URL and credentials
    Then kf create-service-broker says Success
    And Kf's ClusterServiceBroker becomes Ready
    And Kf 2.11's kf marketplace lists every offering of the broker, as its catalog and the kf.dev broker's status.services say

  @aws @aws_broker @aws_broker_provision
  Scenario Outline: Kf 2.11 and the real AWS Service Broker on emulated AWS: create, bind, unbind and delete <service>
    Given the prerequisites stack is deployed on AWS that runs upstream's Lambda functions
    And the AWS Service Broker starts with the stack's credentials, over plain HTTP with basic auth
    And the scenario's namespace is a Kf Space
    When I run kf create-service-broker --space-scoped with the broker's URL and credentials
    Then Kf's ServiceBroker becomes Ready
    When I run Kf 2.11's kf create-service "<service>" "<plan>" "orders" with the parameters '<parameters>'
    Then Kf's ServiceInstance "orders" is Ready, and kf services lists it so
    And emulated AWS holds the stack of Kf's instance "orders" of "<service>", created
    When "orders" is bound to the App "shop" as kf bind-service binds it
    Then Kf's ServiceInstanceBinding is Ready, and its Secret holds credentials that emulated AWS knows
    When I run Kf 2.11's kf unbind-service "shop" "orders"
    Then Kf's binding is gone, and its credentials Secret with it
    When I run Kf 2.11's kf delete-service "orders"
    Then Kf's ServiceInstance "orders" is gone, and emulated AWS deleted its stack
    And the journey met no known defect of Kf or the broker

    Examples:
      | service  | plan       | parameters                                              |
      | sqs      | standard   | {}                                                      |
      | sns      | topic      | {}                                                      |
      | s3       | production | {}                                                      |
      | dynamodb | hashrange  | {"HashAttributeName": "id", "RangeAttributeName": "at"} |

  @aws @aws_broker @aws_broker_provision @negative
  Scenario: Kf 2.11 and the real AWS Service Broker on emulated AWS: a parameter CloudFormation refuses fails the instance with CloudFormation's reason
    Given the prerequisites stack is deployed on AWS that runs upstream's Lambda functions
    And the AWS Service Broker starts with the stack's credentials, over plain HTTP with basic auth
    And the scenario's namespace is a Kf Space
    When I run kf create-service-broker --space-scoped with the broker's URL and credentials
    Then Kf's ServiceBroker becomes Ready
    When I run Kf 2.11's kf create-service "sqs" "standard" "orders" with the parameters '{"MaximumMessageSize": 100}', which fails
    Then Kf's ServiceInstance "orders" is not Ready, with CloudFormation's reason for the resource "SQSQueue" of its "sqs" stack
    And kf services lists "orders" as not Ready

  @negative
  Scenario: A wrong password: the CLI and Kf's broker condition say so
    Given an OSB broker serving the catalog "aws-minimal" with basic auth
    When I run kf create-service-broker cluster-wide with a wrong password
    Then kf create-service-broker fails, telling me to check the URL and credentials
    And Kf's ClusterServiceBroker is not Ready, and its message mentions "401"

  @negative
  Scenario: A URL nothing listens on, space-scoped: the CLI and Kf's broker condition say so
    When I run kf create-service-broker --space-scoped to a URL nothing listens on
    Then kf create-service-broker fails, telling me to check the URL and credentials
    And Kf's ServiceBroker is not Ready, and its message mentions "connection refused"
