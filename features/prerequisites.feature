@aws
Feature: The broker's AWS prerequisites (the page's step 3)
  The page: the broker needs a DynamoDB table and an IAM user that can access
  it; the easiest way is the provided CloudFormation template.

  Scenario: The prerequisites stack creates the table and the user as documented
    Given the prerequisites stack is deployed on AWS
    Then the stack reaches CREATE_COMPLETE
    And the DynamoDB table is ACTIVE with the documented keys and index
    And the broker's IAM user has both broker policies attached
    And the user's own access key reaches the table

  Scenario: Upstream's own setup/prerequisites.yaml creates the table and the user
    Given upstream's own prerequisites template is deployed on AWS
    Then the stack reaches CREATE_COMPLETE
    And the DynamoDB table is ACTIVE with the documented keys and index
    And the user's own access key reaches the table
    And the broker's IAM user has both broker policies attached
