"""The only package that imports SpiffWorkflow.

Everything else in the engine sees `ProcessModel`, `Runtime` and plain data.
"""
from .definitions import ProcessModel, parse_bundle
from .runtime import FiredTimer, HumanTask, Runtime
from .state import SERIALIZER_VERSION

__all__ = ["ProcessModel", "parse_bundle", "Runtime", "HumanTask", "FiredTimer", "SERIALIZER_VERSION"]
