# The fixtures under test come from the pgschemas.testing pytest plugin (entry point):
# nothing is defined here on purpose.
