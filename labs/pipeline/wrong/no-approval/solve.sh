# Commit the pipeline and push it to the team's repository (a local remote in the lab): the push runs it.
git init -q
git add .
git commit -q -m "Pipeline: test, package once, staging, approval, production"
git init --bare /srv/git/pettracker-ml.git
git remote add origin /srv/git/pettracker-ml.git
git push -u origin main
# Staging runs ml-<commit>; production waits for a reviewer.
pipeline runs
aws elasticbeanstalk describe-environments --application-name pettracker-ml --query 'Environments[].[EnvironmentName,VersionLabel,Health]' --output table
# Maya approves: the same version goes to production.
pipeline logs 1 test
aws elasticbeanstalk describe-environments --application-name pettracker-ml --query 'Environments[].[EnvironmentName,VersionLabel,Health]' --output table
