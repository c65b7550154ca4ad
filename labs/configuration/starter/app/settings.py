"""pettracker-ml's configuration: read from the environment, never from the code or the bundle.

A required value that is missing stops the app at start-up, with the variable's name in the log.
"""
import os

DATABASE_URL = os.environ["DATABASE_URL"]
MODEL_PATH = os.environ["MODEL_PATH"]
LOG_LEVEL = os.environ.get("LOG_LEVEL", "info")
