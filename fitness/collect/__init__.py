"""Adapters that read the world and record facts (with evidence) in the model. They never judge."""
