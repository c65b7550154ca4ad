#!/bin/bash
# Alex's packaging script: zips the whole project folder for Elastic Beanstalk.
cd ..
rm -f pettracker-web/pettracker-web.zip
zip -r pettracker-web/pettracker-web.zip pettracker-web
cd pettracker-web
