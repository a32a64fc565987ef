@method1 @needs_pods @aws_broker
Feature: Method 1, the broker installed in the cluster with Helm (the page's steps 3-8 and 10)
  The page deploys the prerequisites with CloudFormation, adds the chart
  repository, installs the chart into aws-sb with the IAM user's key, and
  expects `kubectl get ClusterServiceBroker aws-servicebroker` to say Ready at
  the chart's in-cluster URL, and `kf marketplace` to list the offerings.
  The chart is upstream's, from the broker's source tree; its image is built
  here from the broker's binary, laid out as upstream's Dockerfile lays it out,
  and loaded into the cluster. On emulated AWS the chart's own `extraEnv`
  sends the broker's AWS calls through the scenario's moto_proxy. These
  scenarios need a cluster that runs pods (--cluster=kind, or an existing
  one); elsewhere they are skipped with the reason printed.

  Background:
    Given a Kubernetes cluster that runs pods, with Service Catalog installed
    And the AWS Service Broker's chart
    And the prerequisites stack is deployed on AWS

  @matrix
  Scenario: The page's helm install registers a Ready ClusterServiceBroker at the chart's URL
    When I helm install the chart into "aws-sb" with the stack's access key
    Then the broker's pod becomes Ready
    And the ClusterServiceBroker "aws-servicebroker" becomes Ready
    And kubectl get ClusterServiceBroker aws-servicebroker prints STATUS "Ready" and the URL "https://aws-servicebroker-aws-servicebroker.aws-sb.svc.cluster.local"
    And the ClusterServiceBroker "aws-servicebroker" offers upstream's 27 services and 57 plans
    And kf marketplace lists the services of the ClusterServiceBroker "aws-servicebroker"

  Scenario: deployNamespacedServiceBroker=true registers the broker in its namespace only
    When I helm install the chart into "aws-sb" with the stack's access key and "deployNamespacedServiceBroker=true"
    Then the broker's pod becomes Ready
    And the ServiceBroker "aws-servicebroker" in "aws-sb" becomes Ready
    And there is no ClusterServiceBroker "aws-servicebroker"
