@method1 @chart
Feature: The page's Helm chart as Kubernetes 1.21 accepts it (the page's step 6), on any cluster
  The page installs the AWS Service Broker's chart with `helm install` and the
  IAM user's key. These scenarios install upstream's own chart (from the
  broker's source tree, --sources, or its Go module) with the page's command in
  Helm 3 form and check what the chart itself promises, without the broker's
  image: the objects it registers, the URL the page quotes, and that the API
  server accepts its RBAC. Method 1 (features/method1.feature) runs the broker.

  Background:
    Given a Kubernetes cluster with Service Catalog installed
    And the AWS Service Broker's upstream chart

  Scenario: The page's helm install is accepted and registers the page's URL with bearer auth
    When I helm install the upstream chart into "aws-sb" with an access key, without waiting for its pod
    Then the API server accepted the chart's ClusterRoles and ClusterRoleBindings as "rbac.authorization.k8s.io/v1beta1"
    And the ClusterServiceBroker "aws-servicebroker" has the URL "https://aws-servicebroker-aws-servicebroker.aws-sb.svc.cluster.local" and bearer auth from the Secret "aws-servicebroker-aws-servicebroker" in "aws-sb"
    And the run report flags the chart's registration as skipping TLS verification
    And the run report flags the chart's ClusterRoleBindings naming ServiceAccounts in a namespace the release is not in

  Scenario: deployNamespacedServiceBroker=true registers a ServiceBroker in the release's namespace only
    When I helm install the upstream chart into "aws-sb" with an access key and "deployNamespacedServiceBroker=true", without waiting for its pod
    Then there is a ServiceBroker "aws-servicebroker" in "aws-sb"
    And there is no ClusterServiceBroker "aws-servicebroker"
