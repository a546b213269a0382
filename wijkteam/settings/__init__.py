"""Settings package: ``base`` reads the environment, the others only set defaults."""
