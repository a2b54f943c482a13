"""The built-in criteria, installed as package data (one YAML file per criterion)."""
