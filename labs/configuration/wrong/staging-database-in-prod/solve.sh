# The learner copies staging's command for production and forgets to change the database.
eb setenv DATABASE_URL=postgresql://ml@staging-db.internal:5432/pettracker MODEL_PATH=/var/app/current/models/breeds-v3.onnx LOG_LEVEL=debug
eb setenv -e pettracker-ml-prod DATABASE_URL=postgresql://ml@staging-db.internal:5432/pettracker MODEL_PATH=/var/app/current/models/breeds-v3.onnx LOG_LEVEL=info
eb deploy pettracker-ml-prod --version v2-settings
