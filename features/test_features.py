"""The one test module: every .feature file in this folder becomes tests."""
from pytest_bdd import scenarios

scenarios(".")
