# The learner keeps the project's Python 3.13 default and creates the new environment with it.
rm Procfile
eb create pettracker-ml-docker
eb health pettracker-ml-docker
