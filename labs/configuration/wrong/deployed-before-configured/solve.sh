# The learner configures staging, then promotes to production before production has any properties.
eb setenv DATABASE_URL=postgresql://ml@staging-db.internal:5432/pettracker MODEL_PATH=/var/app/current/models/breeds-v3.onnx LOG_LEVEL=debug
eb deploy pettracker-ml-prod --version v2-settings
