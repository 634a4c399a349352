"""Trainers of the shipped models, one module per task (see ``storyfuse.train``)."""
