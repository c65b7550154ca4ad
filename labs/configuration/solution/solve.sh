# Staging first: the properties the app requires, set on the environment (a configuration update, no new version).
eb setenv DATABASE_URL=postgresql://ml@staging-db.internal:5432/pettracker MODEL_PATH=/var/app/current/models/breeds-v3.onnx LOG_LEVEL=debug
eb printenv
eb health
# Production: its own configuration first, then the version staging tested, by its label.
eb setenv -e pettracker-ml-prod DATABASE_URL=postgresql://ml@prod-db.internal:5432/pettracker MODEL_PATH=/var/app/current/models/breeds-v3.onnx LOG_LEVEL=info
eb deploy pettracker-ml-prod --version v2-settings
eb printenv pettracker-ml-prod
eb status pettracker-ml-prod
