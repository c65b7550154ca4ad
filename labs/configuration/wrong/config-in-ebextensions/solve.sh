# The learner writes the values into .ebextensions and deploys a new bundle to staging.
eb deploy
eb setenv -e pettracker-ml-prod DATABASE_URL=postgresql://ml@prod-db.internal:5432/pettracker MODEL_PATH=/var/app/current/models/breeds-v3.onnx LOG_LEVEL=info
eb deploy pettracker-ml-prod --version v2-settings
