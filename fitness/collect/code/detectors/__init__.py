"""Source detectors, one per framework or construct (see fitness.collect.code.registry)."""
