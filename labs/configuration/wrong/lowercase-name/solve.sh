# The learner types the property names in lower case; os.environ["DATABASE_URL"] still finds nothing.
eb setenv database_url=postgresql://ml@staging-db.internal:5432/pettracker MODEL_PATH=/var/app/current/models/breeds-v3.onnx LOG_LEVEL=debug
