"""A journey holds the class names whole only until its last instance is looked up
(steps/journey_steps.py): each journey must have a step the hook recognises as
creating an instance, or it would hold them whole to its end."""
from __future__ import annotations

from pathlib import Path

from pytest_bdd.parser import FeatureParser

from steps.journey_steps import creates_an_instance

FEATURES = Path(__file__).resolve().parents[1] / "features"


def test_every_journey_creates_an_instance_the_hook_recognises() -> None:
    feature = FeatureParser(str(FEATURES), "journey.feature").parse()
    assert "journey" in feature.tags
    for scenario in feature.scenarios.values():
        created = [step.name for step in scenario.steps if creates_an_instance(step.name)]
        assert created, f"{scenario.name}: no step the hook takes for an instance's creation"


def test_the_steps_that_only_read_are_not_taken_for_creations() -> None:
    assert creates_an_instance('I run kf create-service "sqs" "standard" "orders" without waiting')
    assert creates_an_instance('a ServiceInstance "second" of "sqs" "fifo" is created through the API')
    assert not creates_an_instance('kf services lists "orders" of "sqs" "standard" as "ProvisionedSuccessfully"')
    assert not creates_an_instance('I run kf delete-service "orders"')
