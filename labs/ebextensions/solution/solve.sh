# The configuration files are in place; deploy them, then read the events and the effective settings.
eb deploy
eb events
eb config --display
eb health
