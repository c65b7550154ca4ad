#!/bin/bash
# Zips the project without node_modules and venv, still from the parent folder.
cd ..
rm -f pettracker-web/pettracker-web.zip
zip -r pettracker-web/pettracker-web.zip pettracker-web -x 'pettracker-web/node_modules/*' 'pettracker-web/venv/*' 'pettracker-web/.elasticbeanstalk/*'
cd pettracker-web
