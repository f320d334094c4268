"""Casework for the meldpunt: intake, follow-up and the measurements taken along the way."""
